package dev.discovery.etcd;

import java.time.Duration;

import dev.discovery.core.DiscoveryException;
import dev.discovery.core.ServiceInstance;
import dev.discovery.etcd.testserver.CapturedLog;
import dev.discovery.etcd.testserver.EtcdAuthentication;
import dev.discovery.etcd.testserver.EtcdExtension;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * User and password authentication against etcd with auth enabled: a user whose only role
 * may read and write the namespace's prefix registers and discovers there, and is denied
 * everywhere else with a message that names the namespace; a wrong password fails with a
 * message that names the settings and never shows the password.
 */
class EtcdAuthIT {

	private static final String PASSWORD = "s3cret-pa55";

	private static final String WRONG_PASSWORD = "wr0ng-pa55";

	@RegisterExtension
	static final EtcdExtension etcd = EtcdExtension.ownCluster(1);

	@BeforeAll
	static void enableAuthentication() throws Exception {
		EtcdAuthentication.enable(etcd.endpoints(), "app", PASSWORD, "/discovery/");
	}

	@Test
	void userWithPasswordRegistersAndDiscovers() {
		try (EtcdBackend backend = backend(PASSWORD)) {
			ServiceInstance instance = ServiceInstance.builder("guarded", "127.0.0.1", 8080).build();

			backend.register(instance);

			assertThat(backend.instances("guarded")).containsExactly(instance);
			assertThat(backend.health().reachable()).isTrue();
			assertThat(backend.health().details()).containsEntry("leaderKnown", true)
				.containsEntry("leaseState", "ACTIVE")
				.containsEntry("registrations", 1)
				.containsKey("leaseId");
			assertThat(backend.toString()).contains("app").doesNotContain(PASSWORD);
		}
	}

	@Test
	void wrongPasswordFailsWithAMessageThatSaysSo() {
		try (EtcdBackend backend = backend(WRONG_PASSWORD)) {
			assertThatExceptionOfType(DiscoveryException.class)
				.isThrownBy(() -> backend.register(ServiceInstance.builder("guarded", "127.0.0.1", 8081).build()))
				.withMessageContaining("authentication failed for user 'app': set username and password"
						+ " (discovery.etcd.username and discovery.etcd.password)")
				.withMessageNotContaining(WRONG_PASSWORD);
			Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
				assertThat(backend.health().reachable()).isFalse();
				assertThat(backend.health().error()).contains("authentication failed for user 'app'")
					.doesNotContain(WRONG_PASSWORD);
			});
			assertThat(backend.health().details().toString()).doesNotContain(WRONG_PASSWORD);
			assertThat(backend.toString()).doesNotContain(WRONG_PASSWORD);
		}
	}

	@Test
	void namespaceOutsideTheRolesPrefixIsDeniedNamingIt() {
		String denial = "permission denied: user 'app' may not use the namespace 'discovery-other'"
				+ " (keys under /discovery-other/)";
		try (EtcdBackend allowed = backend(PASSWORD);
				EtcdBackend outside = backend(PASSWORD, "discovery-other");
				CapturedLog log = new CapturedLog()) {
			ServiceInstance instance = ServiceInstance.builder("fenced", "127.0.0.1", 8082).build();
			allowed.register(instance);

			assertThatExceptionOfType(DiscoveryException.class).isThrownBy(() -> outside.register(instance))
				.withMessage("etcd " + etcd.endpoints() + " as user 'app': registering fenced/" + instance.id()
						+ " failed: " + denial + ": grant its role read-write access to that prefix, or set namespace"
						+ " (discovery.etcd.namespace) to one it may use");
			assertThatExceptionOfType(DiscoveryException.class).isThrownBy(() -> outside.instances("fenced"))
				.withMessageContaining("reading service fenced failed: " + denial);
			assertThatExceptionOfType(DiscoveryException.class).isThrownBy(outside::services)
				.withMessageContaining("listing services failed: " + denial);
			outside.watch("fenced", (instances) -> {
			});
			Awaitility.await()
				.atMost(Duration.ofSeconds(5))
				.until(() -> log.linesContaining("Watch of service 'fenced' interrupted"), (lines) -> !lines.isEmpty());
			assertThat(log.linesContaining("Watch of service 'fenced' interrupted")).first().asString().contains(denial);

			assertThat(allowed.instances("fenced")).containsExactly(instance);
		}
	}

	private static EtcdBackend backend(String password) {
		return backend(password, "discovery");
	}

	private static EtcdBackend backend(String password, String namespace) {
		return EtcdBackend.builder()
			.endpoints(etcd.endpoints())
			.namespace(namespace)
			.username("app")
			.password(password)
			.requestTimeout(Duration.ofSeconds(2))
			.build();
	}

}
