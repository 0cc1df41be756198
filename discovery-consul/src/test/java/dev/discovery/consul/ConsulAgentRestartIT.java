package dev.discovery.consul;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import dev.discovery.consul.testserver.ConsulAgentExtension;
import dev.discovery.core.Registration;
import dev.discovery.core.RegistrationState;
import dev.discovery.core.ServiceInstance;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A dev agent forgets everything when it restarts: every open registration must come back
 * by itself, and watchers must converge on it.
 */
class ConsulAgentRestartIT {

	private static final Duration TTL = Duration.ofSeconds(3);

	@RegisterExtension
	static final ConsulAgentExtension consul = ConsulAgentExtension.own();

	@Test
	void openRegistrationsReturnWithinTtlPlusFiveSecondsOfTheAgentComingBack() throws Exception {
		try (ConsulBackend owner = consul.backend().ttl(TTL).build();
				ConsulBackend observer = consul.backend().ttl(TTL).build()) {
			ServiceInstance first = ServiceInstance.builder("restart-a", "127.0.0.1", 7501).build();
			ServiceInstance second = ServiceInstance.builder("restart-b", "127.0.0.1", 7502).build();
			Registration firstRegistration = owner.register(first);
			Registration secondRegistration = owner.register(second);
			AtomicReference<List<ServiceInstance>> watched = new AtomicReference<>(List.of());
			try (AutoCloseable watch = observer.watch("restart-a", watched::set)) {
				Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> watched.get().equals(List.of(first)));

				consul.restart();
				long back = System.nanoTime();

				Awaitility.await()
					.atMost(TTL.plusSeconds(5))
					.pollInterval(Duration.ofMillis(50))
					.untilAsserted(() -> {
						assertThat(observer.instances("restart-a")).containsExactly(first);
						assertThat(observer.instances("restart-b")).containsExactly(second);
						assertThat(watched.get()).containsExactly(first);
					});
				Duration restored = Duration.ofNanos(System.nanoTime() - back);
				System.out.println("Consul registrations and watch restored " + restored.toMillis()
						+ " ms after the agent was back");
				assertThat(List.of(firstRegistration.state(), secondRegistration.state()))
					.containsOnly(RegistrationState.REGISTERED);
				assertThat(owner.health().reachable()).isTrue();
				assertThat(owner.health().error()).isNull();
			}
		}
	}

	@Test
	void instanceRemovedBehindTheBackendsBackIsRegisteredAgain() throws Exception {
		try (ConsulBackend owner = consul.backend().ttl(TTL).build()) {
			ServiceInstance instance = ServiceInstance.builder("forgotten", "127.0.0.1", 7601).build();
			Registration registration = owner.register(instance);

			consul.call("PUT", "/v1/agent/service/deregister/" + instance.id(), "");
			assertThat(consul.call("GET", "/v1/agent/services", "")).doesNotContain(instance.id());

			Awaitility.await()
				.atMost(TTL.plusSeconds(5))
				.pollInterval(Duration.ofMillis(50))
				.untilAsserted(() -> {
					assertThat(consul.call("GET", "/v1/agent/services", "")).contains("\"" + instance.id() + "\"");
					assertThat(registration.state()).isEqualTo(RegistrationState.REGISTERED);
					assertThat(owner.instances("forgotten")).containsExactly(instance);
				});
		}
	}

}
