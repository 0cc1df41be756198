package dev.discovery.etcd;

import java.time.Duration;
import java.util.List;

import dev.discovery.core.DiscoveryClient;
import dev.discovery.core.InstanceStatus;
import dev.discovery.core.Registration;
import dev.discovery.core.ServiceInstance;
import dev.discovery.etcd.testserver.EtcdAuthentication;
import dev.discovery.etcd.testserver.EtcdExtension;
import dev.discovery.etcd.testserver.EtcdMember;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With authentication on, etcd hands out tokens that it forgets: a simple token expires
 * after {@code --auth-token-ttl} without use (one second here), and every token is gone
 * once etcd restarts. A registration, a watch and the requests of a backend that
 * authenticated before carry on past both, without the application doing anything.
 */
class EtcdAuthTokenIT {

	private static final String PASSWORD = "t0ken-pa55";

	private static final Duration TTL = Duration.ofSeconds(3);

	@RegisterExtension
	static final EtcdExtension etcd = EtcdExtension.ownServer("http", List.of("--auth-token-ttl=1"));

	@BeforeAll
	static void enableAuthentication() throws Exception {
		EtcdAuthentication.enable(etcd.endpoints(), "app", PASSWORD, "/discovery/");
	}

	@Test
	void registrationsWatchesAndRequestsOutliveExpiredAndForgottenTokens() throws Exception {
		try (EtcdBackend owner = backend(); EtcdBackend observer = backend();
				DiscoveryClient client = new DiscoveryClient(observer)) {
			Registration first = owner.register(instance(8001));
			Awaitility.await()
				.atMost(Duration.ofSeconds(5))
				.until(() -> client.getInstances("guarded").equals(List.of(first.instance())));

			Awaitility.await()
				.during(TTL.plusSeconds(1))
				.atMost(TTL.plusSeconds(3))
				.until(() -> observer.instances("guarded").equals(List.of(first.instance())));
			first.setStatus(InstanceStatus.OUT_OF_SERVICE);
			Awaitility.await()
				.atMost(Duration.ofSeconds(5))
				.until(() -> client.getAllInstances("guarded").equals(List.of(withStatus(first, InstanceStatus.OUT_OF_SERVICE))));

			EtcdMember member = etcd.cluster().member();
			member.kill();
			etcd.cluster().restart(member);
			etcd.cluster().awaitHealthy();
			Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> owner.health().reachable());
			Registration second = owner.register(instance(8002));
			first.setStatus(InstanceStatus.UP);

			Awaitility.await()
				.atMost(Duration.ofSeconds(10))
				.until(() -> client.getInstances("guarded").size() == 2);
			assertThat(client.getInstances("guarded")).containsExactlyInAnyOrder(first.instance(), second.instance());
			Awaitility.await()
				.during(TTL.plusSeconds(1))
				.atMost(TTL.plusSeconds(3))
				.until(() -> observer.instances("guarded").size() == 2);
		}
	}

	private static ServiceInstance withStatus(Registration registration, InstanceStatus status) {
		return registration.instance().toBuilder().status(status).build();
	}

	private static EtcdBackend backend() {
		return EtcdBackend.builder()
			.endpoints(etcd.endpoints())
			.username("app")
			.password(PASSWORD)
			.ttl(TTL)
			.requestTimeout(Duration.ofSeconds(2))
			.build();
	}

	private static ServiceInstance instance(int port) {
		return ServiceInstance.builder("guarded", "127.0.0.1", port).build();
	}

}
