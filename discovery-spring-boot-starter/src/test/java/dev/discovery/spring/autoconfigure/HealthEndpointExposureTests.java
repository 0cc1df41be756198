package dev.discovery.spring.autoconfigure;

import dev.discovery.consul.ConsulBackend;
import dev.discovery.core.DiscoveryBackend;
import dev.discovery.etcd.EtcdBackend;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.info.InfoEndpointAutoConfiguration;
import org.springframework.boot.actuate.endpoint.web.PathMappedEndpoints;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.ApplicationContextAssertProvider;
import org.springframework.boot.test.context.runner.AbstractApplicationContextRunner;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class HealthEndpointExposureTests {

	private static final AutoConfigurations CONFIGURATIONS = AutoConfigurations.of(DiscoveryAutoConfiguration.class,
			EndpointAutoConfiguration.class, WebEndpointAutoConfiguration.class, HealthContributorAutoConfiguration.class,
			HealthContributorRegistryAutoConfiguration.class, HealthEndpointAutoConfiguration.class,
			InfoEndpointAutoConfiguration.class);

	private static final String[] HTTP_CHECK_ON_CONSUL = { "spring.application.name=orders",
			"discovery.backend=consul", "discovery.consul.check.type=http" };

	private final WebApplicationContextRunner web = new WebApplicationContextRunner().withConfiguration(CONFIGURATIONS)
		.withPropertyValues(HTTP_CHECK_ON_CONSUL)
		.withClassLoader(new FilteredClassLoader(EtcdBackend.class));

	@Test
	void startsWhereHealthIsExposedOverHttp() {
		this.web.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(DiscoveryBackend.class)).isInstanceOf(ConsulBackend.class);
		});
	}

	@Test
	void failsWhereTheExposureLeavesHealthOut() {
		assertFails(this.web.withPropertyValues("management.endpoints.web.exposure.include=info"),
				"health is not among the actuator endpoints it serves over HTTP: [/actuator/info]");
	}

	@Test
	void failsWhereHealthIsNotAccessible() {
		assertFails(this.web.withPropertyValues("management.endpoint.health.access=NONE"),
				"health is not among the actuator endpoints it serves over HTTP: []");
	}

	@Test
	void failsWithoutTheActuator() {
		assertFails(this.web.withClassLoader(new FilteredClassLoader(EtcdBackend.class, PathMappedEndpoints.class)),
				"the actuator is not on the classpath");
	}

	@Test
	void failsWithoutAWebServer() {
		assertFails(new ApplicationContextRunner().withConfiguration(CONFIGURATIONS)
			.withPropertyValues(HTTP_CHECK_ON_CONSUL)
			.withPropertyValues("discovery.instance.port=8080")
			.withClassLoader(new FilteredClassLoader(EtcdBackend.class)),
				"no actuator endpoint is served over HTTP, as in an application without a web server");
	}

	@Test
	void anExplicitPathIsTakenAsItIs() {
		this.web
			.withPropertyValues("management.endpoints.web.exposure.include=info", "discovery.consul.check.path=/ping")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void aTtlCheckNeedsNoEndpoint() {
		this.web.withPropertyValues("management.endpoints.web.exposure.include=info", "discovery.consul.check.type=ttl")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void anApplicationThatDoesNotRegisterNeedsNoEndpoint() {
		this.web
			.withPropertyValues("management.endpoints.web.exposure.include=info",
					"discovery.registration.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void anotherBackendNeedsNoEndpoint() {
		this.web
			.withPropertyValues("management.endpoints.web.exposure.include=info", "discovery.backend=inmemory")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	private static <A extends ApplicationContextAssertProvider<?>> void assertFails(
			AbstractApplicationContextRunner<?, ?, A> runner, String reason) {
		runner.run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = new DiscoveryFailureAnalyzer().analyze(context.getStartupFailure());
			assertThat(analysis).isNotNull();
			assertThat(analysis.getDescription()).isEqualTo("Service discovery is misconfigured. "
					+ "discovery.consul.check.type: 'http' has the Consul agent poll the actuator's health endpoint, "
					+ "which this application does not serve over HTTP (" + reason
					+ "), so the instance would stay critical");
			assertThat(analysis.getAction()).contains("discovery.consul.check.path")
				.contains("discovery.consul.check.type=ttl")
				.contains("management.endpoints.web.exposure.include");
		});
	}

}
