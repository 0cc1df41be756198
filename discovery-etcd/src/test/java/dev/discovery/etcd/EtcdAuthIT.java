package dev.discovery.etcd;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.discovery.core.DiscoveryException;
import dev.discovery.core.ServiceInstance;
import dev.discovery.etcd.testserver.EtcdExtension;
import io.etcd.jetcd.Auth;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.auth.Permission;
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
		try (Client admin = Client.builder().endpoints(etcd.endpoints().toArray(String[]::new)).build()) {
			Auth auth = admin.getAuthClient();
			await(auth.roleAdd(bytes("root")));
			await(auth.userAdd(bytes("root"), bytes("root-" + PASSWORD)));
			await(auth.userGrantRole(bytes("root"), bytes("root")));
			await(auth.roleAdd(bytes("discovery")));
			await(auth.roleGrantPermission(bytes("discovery"), bytes("/discovery/"), bytes("/discovery0"),
					Permission.Type.READWRITE));
			await(auth.userAdd(bytes("app"), bytes(PASSWORD)));
			await(auth.userGrantRole(bytes("app"), bytes("discovery")));
			await(auth.authEnable());
		}
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

	private static void await(CompletableFuture<?> request) throws Exception {
		request.get(5, TimeUnit.SECONDS);
	}

	private static ByteSequence bytes(String value) {
		return ByteSequence.from(value, StandardCharsets.UTF_8);
	}

}
