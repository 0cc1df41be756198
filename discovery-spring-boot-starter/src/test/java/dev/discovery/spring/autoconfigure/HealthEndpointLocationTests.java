package dev.discovery.spring.autoconfigure;

import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Where the Consul agent's http check finds the health endpoint, for the ways Spring Boot
 * lets an application move it.
 */
class HealthEndpointLocationTests {

	private final ClassLoader classLoader = getClass().getClassLoader();

	@Test
	void byDefaultOnTheApplicationsPortAtActuatorHealth() {
		assertThat(location(new MockEnvironment())).isEqualTo(new HealthEndpointLocation(null, null, "/actuator/health"));
	}

	@Test
	void onTheApplicationsPortBehindItsContextAndServletPaths() {
		MockEnvironment environment = new MockEnvironment().withProperty("server.servlet.context-path", "/api/")
			.withProperty("spring.mvc.servlet.path", "mvc")
			.withProperty("management.endpoints.web.base-path", "/ops")
			.withProperty("management.endpoints.web.path-mapping.health", "healthz");
		assertThat(location(environment)).isEqualTo(new HealthEndpointLocation(null, null, "/api/mvc/ops/healthz"));
	}

	@Test
	void onTheApplicationsPortBehindWebFluxsBasePathAndAtTheRootBasePath() {
		MockEnvironment environment = new MockEnvironment().withProperty("spring.webflux.base-path", "/flux")
			.withProperty("management.endpoints.web.base-path", "/");
		assertThat(location(environment)).isEqualTo(new HealthEndpointLocation(null, null, "/flux/health"));
	}

	@Test
	void onAManagementPortOfItsOwnBehindItsBasePathOnly() {
		MockEnvironment environment = new MockEnvironment().withProperty("server.port", "8080")
			.withProperty("server.servlet.context-path", "/api")
			.withProperty("management.server.port", "8081")
			.withProperty("management.server.base-path", "/manage");
		assertThat(location(environment)).isEqualTo(new HealthEndpointLocation(8081, false, "/manage/actuator/health"));
	}

	@Test
	void aManagementPortOfItsOwnInheritsTheApplicationsHttpsUnlessItsOwnSslSaysOtherwise() {
		MockEnvironment https = new MockEnvironment().withProperty("server.ssl.bundle", "server")
			.withProperty("management.server.port", "8081");
		assertThat(location(https).secure()).isTrue();
		assertThat(location(https.withProperty("management.server.ssl.enabled", "false")).secure()).isFalse();
		MockEnvironment managementOnly = new MockEnvironment().withProperty("management.server.port", "8081")
			.withProperty("management.server.ssl.bundle", "management");
		assertThat(location(managementOnly).secure()).isTrue();
	}

	@Test
	void aManagementPortEqualToTheApplicationsIsTheApplicationsPort() {
		MockEnvironment environment = new MockEnvironment().withProperty("server.port", "8443")
			.withProperty("management.server.port", "8443");
		assertThat(location(environment)).isEqualTo(new HealthEndpointLocation(null, null, "/actuator/health"));
	}

	@Test
	void managementOffOverHttpOrOnARandomPortFailsNamingTheProperty() {
		assertThatExceptionOfType(InvalidDiscoveryPropertyException.class)
			.isThrownBy(() -> location(new MockEnvironment().withProperty("management.server.port", "-1")))
			.withMessage("management.server.port: '-1' serves no management endpoint over HTTP, so the Consul agent's "
					+ "http check (discovery.consul.check.type=http) could never pass")
			.satisfies((ex) -> assertThat(ex.getAction()).isEqualTo(
					"Set management.server.port to a fixed port, or set discovery.consul.check.type=ttl."));
		assertThatExceptionOfType(InvalidDiscoveryPropertyException.class)
			.isThrownBy(() -> location(new MockEnvironment().withProperty("management.server.port", "0")))
			.withMessageStartingWith("management.server.port: '0' picks a random port");
	}

	@Test
	void withoutTheActuatorOnTheApplicationsPort() {
		MockEnvironment environment = new MockEnvironment().withProperty("management.server.port", "8081");
		assertThat(HealthEndpointLocation.of(environment, new FilteredClassLoader(ManagementPortType.class)))
			.isEqualTo(new HealthEndpointLocation(null, null, "/actuator/health"));
	}

	private HealthEndpointLocation location(MockEnvironment environment) {
		return HealthEndpointLocation.of(environment, this.classLoader);
	}

}
