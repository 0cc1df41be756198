package dev.discovery.consul;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import dev.discovery.consul.testserver.ConnectionPeak;
import dev.discovery.consul.testserver.ConsulAgentExtension;
import dev.discovery.core.Registration;
import dev.discovery.core.RegistrationState;
import dev.discovery.core.ServiceInstance;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The agent restarts under registered instances, once keeping its data directory (it
 * restores their services and checks) and once without it (it forgets them): every
 * open registration must be UP again by itself within TTL + 5 s, and watchers must converge
 * on it. The second watcher's backend follows 500 other services too, watched before, so
 * that its watch of the restarted service is one of those the change detector follows. The
 * third watcher follows the same 501 services over https, each on an HTTP/2 stream, and
 * stays within its connection budget while the agent is away and after it is back. The
 * measured times are written to {@code target/fault-report/consul-faults.md}.
 */
class ConsulAgentRestartIT {

	private static final Duration TTL = Duration.ofSeconds(3);

	private static final int INSTANCES = 10;

	private static final int OTHER_WATCHED_SERVICES = 500;

	private static final List<String> rows = new CopyOnWriteArrayList<>();

	@RegisterExtension
	static final ConsulAgentExtension consul = ConsulAgentExtension.withTls();

	@ParameterizedTest(name = "agent keeps its data directory: {0}")
	@ValueSource(booleans = { true, false })
	void tenOpenRegistrationsReturnAndBothWatchersConvergeWithinTtlPlusFiveSecondsOfTheAgentComingBack(
			boolean keepState) throws Exception {
		try (ConsulBackend firstOwner = consul.backend().ttl(TTL).build();
				ConsulBackend secondOwner = consul.backend().ttl(TTL).build();
				ConsulBackend firstObserver = consul.backend().ttl(TTL).build();
				ConsulBackend secondObserver = consul.backend().ttl(TTL).build();
				ConsulBackend thirdObserver = consul.httpsBackend().ttl(TTL).build()) {
			List<Registration> registrations = new ArrayList<>();
			for (int i = 0; i < INSTANCES; i++) {
				ConsulBackend owner = (i % 2 == 0) ? firstOwner : secondOwner;
				registrations.add(owner.register(ServiceInstance.builder("restart", "127.0.0.1", 7501 + i).build()));
			}
			List<ServiceInstance> truth = registrations.stream().map(Registration::instance).toList();
			for (int i = 0; i < OTHER_WATCHED_SERVICES; i++) {
				for (ConsulBackend observer : List.of(secondObserver, thirdObserver)) {
					observer.watch("other-" + i, (instances) -> {
					});
				}
			}
			AtomicReference<List<ServiceInstance>> firstView = new AtomicReference<>(List.of());
			AtomicReference<List<ServiceInstance>> secondView = new AtomicReference<>(List.of());
			AtomicReference<List<ServiceInstance>> thirdView = new AtomicReference<>(List.of());
			try (AutoCloseable firstWatch = firstObserver.watch("restart", firstView::set);
					AutoCloseable secondWatch = secondObserver.watch("restart", secondView::set);
					AutoCloseable thirdWatch = thirdObserver.watch("restart", thirdView::set);
					ConnectionPeak httpsConnections = ConnectionPeak.start("127.0.0.1", consul.httpsPort(),
							Duration.ofMillis(20))) {
				withinTtlPlusFiveSeconds().untilAsserted(() -> assertViewsEqual(truth, firstView, secondView, thirdView));
				assertThat(thirdObserver.health().details()).containsEntry("blockingQueries",
						OTHER_WATCHED_SERVICES + 1);

				long stopped = System.nanoTime();
				if (keepState) {
					consul.restart();
				}
				else {
					consul.restartWithoutState();
				}
				long back = System.nanoTime();

				withinTtlPlusFiveSeconds().untilAsserted(
						() -> assertThat(firstObserver.instances("restart")).containsExactlyInAnyOrderElementsOf(truth));
				Duration registered = since(back);
				withinTtlPlusFiveSeconds()
					.untilAsserted(() -> assertViewsEqual(truth, firstView, secondView, thirdView));
				Duration converged = since(back);
				assertThat(converged).isLessThanOrEqualTo(TTL.plusSeconds(5));
				withinTtlPlusFiveSeconds().untilAsserted(() -> {
					assertThat(registrations).extracting(Registration::state)
						.containsOnly(RegistrationState.REGISTERED);
					for (ConsulBackend backend : List.of(firstOwner, secondOwner, firstObserver, secondObserver,
							thirdObserver)) {
						assertThat(backend.health().reachable()).isTrue();
						assertThat(backend.health().error()).isNull();
					}
				});
				String fault = (keepState ? "Agent restarted on its data directory (it restores the services it had)"
						: "Agent restarted without its data directory (it forgets every service)") + ", "
						+ Duration.ofNanos(back - stopped).toMillis() + " ms from stop to a new leader; " + INSTANCES
						+ " instances registered by 2 clients; the second and third watchers follow "
						+ OTHER_WATCHED_SERVICES + " other services, the third over https";
				rows.add(row(fault, "every instance UP again", registered));
				rows.add(row(fault, "the three watchers (3 other clients) equal the truth", converged));
				assertThat(httpsConnections.most()).as("connections of the https watcher").isBetween(1, 16);

				firstOwner.close();
				secondOwner.close();
				withinTtlPlusFiveSeconds()
					.untilAsserted(() -> assertViewsEqual(List.of(), firstView, secondView, thirdView));
				assertThat(firstObserver.instances("restart")).isEmpty();
				assertThat(secondObserver.health().details()).containsEntry("watches", OTHER_WATCHED_SERVICES + 1);
				assertThat(thirdObserver.health().details()).containsEntry("watches", OTHER_WATCHED_SERVICES + 1);
			}
		}
	}

	@Test
	void anApplicationThatFollowsAServiceRegistersAgainAsSoonAsTheAgentIsBackNotAtItsNextHeartbeat()
			throws Exception {
		Duration longTtl = Duration.ofMinutes(30);
		try (ConsulBackend owner = consul.backend().ttl(longTtl).build()) {
			ServiceInstance instance = ServiceInstance.builder("prompt", "127.0.0.1", 7701).build();
			Registration registration = owner.register(instance);
			try (AutoCloseable followed = owner.watch("followed", (instances) -> {
			})) {
				withinTtlPlusFiveSeconds().until(() -> owner.health().reachable());

				consul.restartWithoutState();
				long back = System.nanoTime();

				Awaitility.await()
					.atMost(Duration.ofSeconds(10))
					.pollInterval(Duration.ofMillis(20))
					.untilAsserted(() -> {
						assertThat(consul.call("GET", "/v1/agent/services", "")).contains("\"" + instance.id() + "\"");
						assertThat(registration.state()).isEqualTo(RegistrationState.REGISTERED);
					});
				rows.add("| Agent restarted without its data directory; an application that follows a service, TTL "
						+ longTtl.toMinutes() + " min (next heartbeat " + longTtl.dividedBy(3).toMinutes()
						+ " min away) | registered again | at once, when a call of its watch finds the agent back | "
						+ since(back).toMillis() + " ms |");
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

	private static ConditionFactory withinTtlPlusFiveSeconds() {
		return Awaitility.await().atMost(TTL.plusSeconds(5)).pollInterval(Duration.ofMillis(50));
	}

	@SafeVarargs
	private static void assertViewsEqual(List<ServiceInstance> truth, AtomicReference<List<ServiceInstance>>... views) {
		for (int i = 0; i < views.length; i++) {
			assertThat(views[i].get()).as("watcher %d", i + 1).containsExactlyInAnyOrderElementsOf(truth);
		}
	}

	private static Duration since(long start) {
		return Duration.ofNanos(System.nanoTime() - start);
	}

	private static String row(String fault, String outcome, Duration measured) {
		return "| " + fault + " | " + outcome + " | within TTL + 5 s = " + TTL.plusSeconds(5).toSeconds()
				+ " s of the agent being back | " + measured.toMillis() + " ms |";
	}

	@AfterAll
	static void report() throws IOException {
		List<String> lines = new ArrayList<>(
				List.of("| Consul fault | Outcome | Guaranteed | Measured |", "| --- | --- | --- | --- |"));
		lines.addAll(rows);
		String table = String.join("\n", lines) + "\n";
		Path report = Path.of("target", "fault-report", "consul-faults.md");
		Files.createDirectories(report.getParent());
		Files.writeString(report, table);
		System.out.println(table);
	}

}
