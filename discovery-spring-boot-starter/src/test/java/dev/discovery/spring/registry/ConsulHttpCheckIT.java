package dev.discovery.spring.registry;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.discovery.consul.testserver.ConsulAgentExtension;
import dev.discovery.core.DiscoveryClient;
import dev.discovery.core.InstanceStatus;
import dev.discovery.core.ServiceInstance;
import dev.discovery.spring.SelfRegistration;
import dev.discovery.spring.autoconfigure.InvalidDiscoveryPropertyException;
import dev.discovery.spring.web.GreetingApplication;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.util.TestSocketUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Applications on a real Consul agent with {@code discovery.consul.check.type=http} pass
 * their check wherever Spring Boot serves their health endpoint: behind a context path and a
 * moved actuator base path, on a management port of its own (also plain http beside an
 * https application), and over https with a certificate the agent cannot verify once told
 * to skip verifying it. The agent polls and
 * the application answers; nothing is stubbed. An application that does not serve health
 * over HTTP fails to start instead of registering a check that could never pass.
 */
class ConsulHttpCheckIT {

	@RegisterExtension
	static final ConsulAgentExtension consul = ConsulAgentExtension.shared();

	private static final String KEY_STORE_PASSWORD = "test-only";

	private final List<ConfigurableApplicationContext> applications = new ArrayList<>();

	@AfterEach
	void stop() {
		this.applications.forEach(ConfigurableApplicationContext::close);
	}

	@Test
	void passesWithHealthBehindTheContextPathAndAMovedBasePath() throws Exception {
		ConfigurableApplicationContext application = start("http-check-context", "server.servlet.context-path=/api",
				"spring.mvc.servlet.path=/mvc", "management.endpoints.web.base-path=/ops");

		awaitPassing(application);
		assertThat(consul.call("GET", "/v1/agent/checks", "")).contains("/api/mvc/ops/health: 200");
	}

	@Test
	void passesWithHealthOnAManagementPortOfItsOwn() throws Exception {
		int managementPort = TestSocketUtils.findAvailableTcpPort();
		ConfigurableApplicationContext application = start("http-check-management",
				"management.server.port=" + managementPort, "management.server.base-path=/manage",
				"server.servlet.context-path=/api");

		awaitPassing(application);
		assertThat(consul.call("GET", "/v1/agent/checks", ""))
			.contains("http://127.0.0.1:" + managementPort + "/manage/actuator/health: 200");
	}

	@Test
	void passesOverHttpsWithASelfSignedCertificateOnlyWhenTlsSkipVerifyIsSet(@TempDir Path directory)
			throws Exception {
		String[] https = https(selfSignedKeyStore(directory));
		ConfigurableApplicationContext verifying = start("http-check-verifying", https);
		ConfigurableApplicationContext skipping = start("http-check-skipping",
				concat(https, "discovery.consul.check.tls-skip-verify=true"));

		awaitPassing(skipping);
		assertThat(registered(verifying).uri().getScheme()).isEqualTo("https");
		Awaitility.await()
			.atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(consul.call("GET", "/v1/agent/checks", ""))
				.contains(registered(verifying).uri() + "/actuator/health").contains("x509"));
		Awaitility.await()
			.atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(verifying.getBean(DiscoveryClient.class).getAllInstances("http-check-verifying"))
				.extracting(ServiceInstance::status)
				.containsExactly(InstanceStatus.DOWN));
	}

	@Test
	void passesOnAPlainHttpManagementPortOfAnHttpsApplication(@TempDir Path directory) throws Exception {
		int managementPort = TestSocketUtils.findAvailableTcpPort();
		ConfigurableApplicationContext application = start("http-check-plain-management",
				concat(https(selfSignedKeyStore(directory)), "management.server.port=" + managementPort,
						"management.server.ssl.enabled=false"));

		awaitPassing(application);
		assertThat(registered(application).secure()).isTrue();
		assertThat(consul.call("GET", "/v1/agent/checks", ""))
			.contains("http://127.0.0.1:" + managementPort + "/actuator/health: 200");
	}

	@Test
	void refusesToStartWhereHealthIsNotServedOverHttpAndRegistersNothing() throws Exception {
		assertThatExceptionOfType(InvalidDiscoveryPropertyException.class)
			.isThrownBy(() -> start("http-check-unexposed", "management.endpoints.web.exposure.include=info"))
			.withMessageContaining("discovery.consul.check.type: 'http' has the Consul agent poll the actuator's "
					+ "health endpoint, which this application does not serve over HTTP");
		assertThat(consul.call("GET", "/v1/agent/services", "")).doesNotContain("http-check-unexposed");
	}

	private ConfigurableApplicationContext start(String name, String... settings) {
		List<String> properties = new ArrayList<>(List.of("spring.application.name=" + name, "server.port=0",
				"discovery.backend=consul", "discovery.consul.host=" + consul.host(),
				"discovery.consul.port=" + consul.port(), "discovery.consul.check.type=http",
				"discovery.consul.check.interval=1s", "discovery.instance.host=127.0.0.1"));
		properties.addAll(List.of(settings));
		ConfigurableApplicationContext application = new SpringApplicationBuilder(GreetingApplication.class)
			.properties(properties.toArray(String[]::new))
			.run();
		this.applications.add(application);
		return application;
	}

	private static ServiceInstance registered(ConfigurableApplicationContext application) {
		return application.getBean(SelfRegistration.class).registration().orElseThrow().instance();
	}

	private static String[] https(Path keyStore) {
		return new String[] { "server.ssl.bundle=self", "spring.ssl.bundle.jks.self.keystore.location=file:" + keyStore,
				"spring.ssl.bundle.jks.self.keystore.password=" + KEY_STORE_PASSWORD,
				"spring.ssl.bundle.jks.self.keystore.type=PKCS12" };
	}

	private static String[] concat(String[] settings, String... more) {
		String[] all = Arrays.copyOf(settings, settings.length + more.length);
		System.arraycopy(more, 0, all, settings.length, more.length);
		return all;
	}

	/**
	 * Makes a key store with a self-signed certificate for 127.0.0.1 with the JDK's
	 * {@code keytool}, which no Consul agent trusts.
	 */
	private static Path selfSignedKeyStore(Path directory) throws Exception {
		Path keyStore = directory.resolve("self-signed.p12");
		Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
				"-genkeypair", "-alias", "self", "-keyalg", "EC", "-dname", "CN=127.0.0.1", "-ext", "san=ip:127.0.0.1",
				"-validity", "2", "-storetype", "PKCS12", "-keystore", keyStore.toString(), "-storepass",
				KEY_STORE_PASSWORD)
			.redirectErrorStream(true)
			.start();
		String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(keytool.waitFor(30, TimeUnit.SECONDS)).as(output).isTrue();
		assertThat(keytool.exitValue()).as(output).isZero();
		return keyStore;
	}

	private static void awaitPassing(ConfigurableApplicationContext application) {
		ServiceInstance registered = registered(application);
		DiscoveryClient client = application.getBean(DiscoveryClient.class);
		Awaitility.await()
			.atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(client.getAllInstances(registered.service()))
				.extracting(ServiceInstance::id, ServiceInstance::status)
				.containsExactly(tuple(registered.id(), InstanceStatus.UP)));
	}

}
