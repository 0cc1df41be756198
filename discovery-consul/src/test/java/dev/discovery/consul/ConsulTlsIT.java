package dev.discovery.consul;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.discovery.consul.testserver.BackendThreads;
import dev.discovery.consul.testserver.CatalogWriter;
import dev.discovery.consul.testserver.ConnectionPeak;
import dev.discovery.consul.testserver.ConsulAgentExtension;
import dev.discovery.consul.testserver.LoopbackConnections;
import dev.discovery.consul.testserver.SelfSignedTls;
import dev.discovery.core.BackendHealth;
import dev.discovery.core.DiscoveryClient;
import dev.discovery.core.DiscoveryException;
import dev.discovery.core.ServiceInstance;
import dev.discovery.core.testserver.TcpProxy;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * https to an agent whose certificate is signed by a private CA: trusted through the PEM
 * CA file, refused without it. Over https the agent multiplexes HTTP/2, so blocking queries
 * share connections as streams, within the connection budget, and leave them if a proxy put
 * in front of the agent no longer offers HTTP/2; closing the backend closes them.
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
	void closingTheBackendClosesTheStreamsConnectionsAndEndsTheirThread() throws Exception {
		int services = 5;
		try (CatalogWriter writer = new CatalogWriter(consul.host(), consul.port())) {
			for (int i = 0; i < services; i++) {
				writer.register("closing-node", "closing-" + i, "closing-" + i + "-a", 24000 + i);
			}
		}
		int connectionsBefore = LoopbackConnections.count("127.0.0.1", consul.httpsPort());
		int ioThreadsBefore = BackendThreads.streamIoThreads();
		ConsulBackend backend = consul.httpsBackend().build();
		try (DiscoveryClient client = new DiscoveryClient(backend)) {
			for (int i = 0; i < services; i++) {
				assertThat(client.getInstances("closing-" + i)).as("closing-" + i).hasSize(1);
			}
			Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(backend.health().details())
				.containsEntry("http2Streams", "in use")
				.containsEntry("blockingQueries", services));
			assertThat(BackendThreads.streamIoThreads()).isEqualTo(ioThreadsBefore + 1);
		}
		finally {
			backend.close();
		}
		Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
			assertThat(LoopbackConnections.count("127.0.0.1", consul.httpsPort())).isEqualTo(connectionsBefore);
			assertThat(BackendThreads.streamIoThreads()).isEqualTo(ioThreadsBefore);
		});
	}

	@Test
	void whenAProxyInFrontOfTheAgentStopsOfferingHttp2TheWatchesLeaveTheirStreams() throws Exception {
		int services = 30;
		SelfSignedTls proxyTls = SelfSignedTls.create();
		Path trusted = Files.createTempFile("discovery-trusted-", ".pem");
		Files.writeString(trusted, Files.readString(consul.caFile()) + Files.readString(proxyTls.caFile()));
		try (CatalogWriter writer = new CatalogWriter(consul.host(), consul.port());
				TcpProxy proxy = TcpProxy.to("127.0.0.1", consul.httpsPort());
				ConnectionPeak connections = ConnectionPeak.start("127.0.0.1", proxy.port(), Duration.ofMillis(5));
				ConsulBackend backend = consul.httpsBackend().port(proxy.port()).caFile(trusted).build();
				DiscoveryClient client = new DiscoveryClient(backend)) {
			for (int i = 0; i < services; i++) {
				writer.register("lost-node", "lost-" + i, "lost-" + i + "-a", 23000 + i);
				assertThat(client.getInstances("lost-" + i)).as("lost-" + i).hasSize(1);
			}
			Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(backend.health().details())
				.containsEntry("http2Streams", "in use")
				.containsEntry("blockingQueries", services));

			proxy.endTls(proxyTls.serverContext(), consul.port());

			// 11 connections for blocking queries by default; the streams closed the one they had
			Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(backend.health().details())
				.containsEntry("http2Streams", "not offered by the agent")
				.containsEntry("blockingQueries", 11));
			for (int i : new int[] { 0, services / 2, services - 1 }) {
				writer.register("lost-node", "lost-" + i, "lost-" + i + "-b", 24000 + i);
				Awaitility.await()
					.atMost(Duration.ofSeconds(10))
					.until(() -> client.getInstances("lost-" + i).size() == 2);
			}
			Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
				BackendHealth health = backend.health();
				assertThat(health.reachable()).isTrue();
				assertThat(health.error()).isNull();
			});
			assertThat(connections.most()).isBetween(1, 16);
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
