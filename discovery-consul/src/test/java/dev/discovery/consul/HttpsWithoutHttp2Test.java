package dev.discovery.consul;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.discovery.consul.testserver.ConnectionPeak;
import dev.discovery.consul.testserver.FakeConsulAgent;
import dev.discovery.consul.testserver.SelfSignedTls;
import dev.discovery.core.BackendHealth;
import dev.discovery.core.ServiceInstance;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An agent reached over https that answers over HTTP/1.1 only, as a proxy in front of it
 * might: the backend finds out with its first check, before any blocking query depends on
 * HTTP/2, and follows its watches as over http, on connections of their own and with the
 * change detector, within its connection budget.
 */
class HttpsWithoutHttp2Test {

	private static final String ONE_INSTANCE = "[{\"Node\":{\"Node\":\"n1\",\"Address\":\"127.0.0.1\"},"
			+ "\"Service\":{\"ID\":\"a\",\"Service\":\"orders\",\"Address\":\"127.0.0.1\",\"Port\":8080},"
			+ "\"Checks\":[]}]";

	@Test
	void watchesUseSlotsAndTheDetectorWithinTheBudget() throws Exception {
		SelfSignedTls tls = SelfSignedTls.create();
		try (FakeConsulAgent agent = FakeConsulAgent.startHttps(tls.serverContext())) {
			agent.answer(ONE_INSTANCE, "{}");
			try (ConnectionPeak connections = ConnectionPeak.start("127.0.0.1", agent.port(), Duration.ofMillis(5));
					ConsulBackend backend = ConsulBackend.builder()
				.scheme("https")
				.host("127.0.0.1")
				.port(agent.port())
				.caFile(tls.caFile())
				.build()) {
				Map<String, List<ServiceInstance>> seen = new ConcurrentHashMap<>();
				watch(backend, seen, 0, 40);
				Awaitility.await()
					.atMost(Duration.ofSeconds(10))
					.until(() -> backend.health().details().get("http2Streams").equals("not offered by the agent"));
				watch(backend, seen, 40, 60);

				Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
					assertThat(seen).hasSize(60);
					assertThat(seen.values()).allSatisfy((instances) -> assertThat(instances).hasSize(1));
				});
				assertThat(backend.health().details())
					.as("11 connections for blocking queries: the client that found no HTTP/2 closed its own")
					.containsEntry("blockingQueries", 11)
					.containsEntry("watches", 60);
				assertThat(connections.most()).isBetween(1, 16);
				Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
					BackendHealth health = backend.health();
					assertThat(health.reachable()).isTrue();
					assertThat(health.error()).as("an agent without HTTP/2 is not an error").isNull();
				});
			}
		}
	}

	private static void watch(ConsulBackend backend, Map<String, List<ServiceInstance>> seen, int from, int to) {
		for (int i = from; i < to; i++) {
			String service = "svc-" + i;
			backend.watch(service, (instances) -> seen.put(service, instances));
		}
	}

}
