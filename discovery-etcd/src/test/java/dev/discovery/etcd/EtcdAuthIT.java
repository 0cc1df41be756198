package dev.discovery.etcd;

import java.time.Duration;

import dev.discovery.core.DiscoveryException;
import dev.discovery.core.ServiceInstance;
import dev.discovery.etcd.testserver.EtcdAuthentication;
import dev.discovery.etcd.testserver.EtcdExtension;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * User and password authentication against etcd with auth enabled: a user whose role may
 * read and write the namespace registers and discovers; a wrong password fails with a
 * message that says so and never shows the password.
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
				.withMessageContaining("authentication failed for user 'app'")
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

	private static EtcdBackend backend(String password) {
		return EtcdBackend.builder()
			.endpoints(etcd.endpoints())
			.username("app")
			.password(password)
			.requestTimeout(Duration.ofSeconds(2))
			.build();
	}

}
