package dev.discovery.consul;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.discovery.consul.testserver.AtRest;
import dev.discovery.consul.testserver.BackendThreads;
import dev.discovery.consul.testserver.CatalogWriter;
import dev.discovery.consul.testserver.ConnectionPeak;
import dev.discovery.consul.testserver.ConsulAgentExtension;
import dev.discovery.consul.testserver.LoopbackConnections;
import dev.discovery.core.BackendHealth;
import dev.discovery.core.DiscoveryClient;
import dev.discovery.core.ServiceInstance;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One client follows 1,000 services on an agent with Consul's default limits, which refuse
 * more than 200 connections from one client address. The instances are written into the
 * catalog from another loopback address, so every connection counted from 127.0.0.1, beyond
 * those the test's agent support had open before the client started, is the client's.
 * Staleness is sampled from the client's first answer on (before it, a new backend has not
 * heard from its agent yet). With the default budget of 16 connections, over http 11
 * services get a blocking query of their own and the change detector follows the other 989;
 * over https, where the agent multiplexes HTTP/2, every service gets a blocking query, 200 to
 * a connection.
 */
class ConsulScaleIT {

	private static final int SERVICES = 1000;

	private static final int NODES = 10;

	/**
	 * The client's threads whatever the number of services: one for each blocking query of the
	 * budget (a slot's thread; over https the one I/O thread of the connections that carry
	 * streams takes the place of one), the change detector, 4 reads, 4 deliveries, 2 heartbeat
	 * threads and, over https, 2 that handle the streams' answers.
	 */
	private static final int MAX_THREADS = new ConnectionBudget(16).blockingQueries() + 1 + 4 + 4 + 2 + 2;

	@RegisterExtension
	static final ConsulAgentExtension consul = ConsulAgentExtension.withTls();

	@BeforeAll
	static void registerTheServices() throws Exception {
		try (CatalogWriter writer = new CatalogWriter(consul.host(), consul.port())) {
			for (int i = 0; i < SERVICES; i++) {
				writer.register(node(i), service(i), service(i) + "-a", 20000 + i);
			}
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "http", "https" })
	void oneClientFollowsAThousandServicesWithinItsConnectionBudgetAndSeesChangesAtTheStartMiddleAndEnd(String scheme)
			throws Exception {
		boolean https = scheme.equals("https");
		int port = https ? consul.httpsPort() : consul.port();
		try (CatalogWriter writer = new CatalogWriter(consul.host(), consul.port())) {
			AtomicBoolean everStale = new AtomicBoolean();
			ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
			int before = LoopbackConnections.count("127.0.0.1", port);
			try (ConnectionPeak connections = ConnectionPeak.start("127.0.0.1", port, Duration.ofMillis(20));
					ConsulBackend backend = (https ? consul.httpsBackend() : consul.backend()).build();
					DiscoveryClient client = new DiscoveryClient(backend)) {
				long started = System.nanoTime();
				assertThat(client.getInstances(service(0))).extracting(ServiceInstance::id).contains(service(0) + "-a");
				sampler.scheduleAtFixedRate(() -> {
					if (client.isStale()) {
						everStale.set(true);
					}
				}, 0, 20, TimeUnit.MILLISECONDS);
				for (int i = 1; i < SERVICES; i++) {
					assertThat(client.getInstances(service(i))).as(service(i))
						.extracting(ServiceInstance::id)
						.contains(service(i) + "-a");
				}
				System.out.printf(Locale.ROOT, "Consul: first lookups of %d services took %d ms%n", SERVICES,
						Duration.ofNanos(System.nanoTime() - started).toMillis());

				Awaitility.await()
					.atMost(Duration.ofSeconds(30))
					.until(() -> backend.health().details().get("pendingReads").equals(0));
				AtRest.await(backend);
				long requestsBefore = AtRest.requests(backend);
				for (int i : new int[] { 0, SERVICES / 2, SERVICES - 1 }) {
					long changed = System.nanoTime();
					String id = service(i) + "-" + scheme;
					writer.register(node(i), service(i), id, 30000 + i);
					Awaitility.await()
						.atMost(Duration.ofSeconds(10))
						.pollInterval(Duration.ofMillis(1))
						.until(() -> client.getInstances(service(i)).stream().anyMatch((instance) -> instance.id().equals(id)));
					System.out.printf(Locale.ROOT,
							"Consul over %s, %d services followed: a new instance of %s seen in %.1f ms%n", scheme,
							SERVICES, service(i), (System.nanoTime() - changed) / 1e6);
				}
				long requestsForChanges = AtRest.requests(backend) - requestsBefore;
				int mostConnections = connections.most() - before;
				System.out.printf(Locale.ROOT, "Consul over %s: %d agent requests for 3 changes; at most %d connections "
						+ "and %d threads%n", scheme, requestsForChanges, mostConnections, BackendThreads.count());

				assertThat(requestsForChanges).as("agent requests for 3 changes among %d services", SERVICES)
					.isLessThan(15);
				BackendHealth health = backend.health();
				assertThat(health.reachable()).isTrue();
				assertThat(health.details()).containsEntry("errors", 0L).containsEntry("watches", SERVICES);
				if (https) {
					assertThat(health.details()).containsEntry("blockingQueries", SERVICES);
				}
				assertThat(everStale).as("the client was stale at some point").isFalse();
				assertThat(BackendThreads.count()).isLessThanOrEqualTo(MAX_THREADS);
				assertThat(mostConnections).isBetween(1, 16);
			}
			finally {
				sampler.shutdownNow();
			}
		}
	}

	private static String service(int index) {
		return String.format(Locale.ROOT, "svc-%04d", index);
	}

	private static String node(int index) {
		return "scale-node-" + (index % NODES);
	}

}
