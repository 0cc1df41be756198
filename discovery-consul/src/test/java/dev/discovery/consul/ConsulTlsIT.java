package dev.discovery.consul;

import java.time.Duration;
import java.util.List;

import dev.discovery.consul.testserver.CatalogWriter;
import dev.discovery.consul.testserver.ConsulAgentExtension;
import dev.discovery.consul.testserver.LoopbackConnections;
import dev.discovery.core.DiscoveryClient;
import dev.discovery.core.DiscoveryException;
import dev.discovery.core.ServiceInstance;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * https to an agent whose certificate is signed by a private CA: trusted through the PEM
 * CA file, refused without it. Over https the agent multiplexes HTTP/2, so blocking queries
 * share connections as streams, within the connection budget.
 */
class ConsulTlsIT {

	@RegisterExtension
	static final ConsulAgentExtension consul = ConsulAgentExtension.withTls();

	@Test
	void httpsWithTheCaFileRegistersAndDiscovers() {
		try (ConsulBackend backend = consul.httpsBackend().build()) {
			ServiceInstance instance = ServiceInstance.builder("tls-orders", "127.0.0.1", 7901).build();
			backend.register(instance);

			Awaitility.await()
				.atMost(Duration.ofSeconds(5))
				.until(() -> backend.instances("tls-orders").equals(List.of(instance)));
			assertThat(backend.health().details()).containsEntry("agent", "https://127.0.0.1:" + consul.httpsPort());
		}
	}

	@Test
	void httpsWithoutTheCaFileIsRefused() {
		try (ConsulBackend backend = consul.httpsBackend().caFile(null).build()) {
			assertThatExceptionOfType(DiscoveryException.class).isThrownBy(() -> backend.instances("tls-orders"))
				.withMessageContaining("https://127.0.0.1:" + consul.httpsPort())
				.withMessageContaining("SSL");
		}
	}

	@Test
	void whenEveryStreamIsTakenTheDetectorFollowsTheRestWithinTheBudget() throws Exception {
		int streamed = 2 * MultiplexedAgent.STREAMS_PER_CONNECTION;
		int services = streamed + 50;
		try (CatalogWriter writer = new CatalogWriter(consul.host(), consul.port())) {
			for (int i = 0; i < services; i++) {
				writer.register("tls-node", "tls-" + i, "tls-" + i + "-a", 21000 + i);
			}
			int before = LoopbackConnections.count("127.0.0.1", consul.httpsPort());
			// 4 connections: 1 for ordinary calls, 1 for the detector, 2 for blocking queries
			try (ConsulBackend backend = consul.httpsBackend().maxConnections(4).build();
					DiscoveryClient client = new DiscoveryClient(backend)) {
				for (int i = 0; i < services; i++) {
					assertThat(client.getInstances("tls-" + i)).as("tls-" + i).hasSize(1);
				}
				Awaitility.await()
					.atMost(Duration.ofSeconds(10))
					.untilAsserted(() -> assertThat(backend.health().details()).containsEntry("blockingQueries", streamed));
				for (int i : new int[] { 0, services - 1 }) {
					writer.register("tls-node", "tls-" + i, "tls-" + i + "-b", 22000 + i);
					Awaitility.await()
						.atMost(Duration.ofSeconds(10))
						.until(() -> client.getInstances("tls-" + i).size() == 2);
				}
				assertThat(LoopbackConnections.count("127.0.0.1", consul.httpsPort()) - before).isBetween(1, 4);
				assertThat(backend.health().details()).containsEntry("errors", 0L)
					.as("a detected change finds no free connection for a blocking query of its own")
					.containsEntry("blockingQueries", streamed);

				long closing = System.nanoTime();
				backend.close();
				assertThat(Duration.ofNanos(System.nanoTime() - closing))
					.as("closing while the detector and the streams wait on the agent (a wait of 5 minutes)")
					.isLessThan(Duration.ofSeconds(5));
			}
		}
	}

}
