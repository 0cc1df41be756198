package dev.discovery.consul;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.discovery.consul.testserver.CatalogWriter;
import dev.discovery.consul.testserver.ConsulAgentExtension;
import dev.discovery.consul.testserver.LoopbackConnections;
import dev.discovery.core.BackendHealth;
import dev.discovery.core.DiscoveryClient;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One client follows 1,000 services on an agent with Consul's default limits, which refuse
 * more than 200 connections from one client address. The instances are written into the
 * catalog from another loopback address, so every connection counted from 127.0.0.1, beyond
 * those the test's agent support had open before the client started, is the client's.
 * Staleness is sampled from the client's first answer on (before it, a new backend has not
 * heard from its agent yet). With the default budget of 16 connections, 11 services get a
 * blocking query of their own and the change detector follows the other 989.
 */
class ConsulScaleIT {

	private static final int SERVICES = 1000;

	private static final int NODES = 10;

	/**
	 * The client's threads whatever the number of services: the blocking queries of the
	 * budget, the change detector, 4 reads, 4 deliveries and 2 heartbeat threads.
	 */
	private static final int MAX_THREADS = new ConnectionBudget(16).blockingQueries() + 1 + 4 + 4 + 2;

	@RegisterExtension
	static final ConsulAgentExtension consul = ConsulAgentExtension.own();

	@Test
	void oneClientFollowsAThousandServicesWithinItsConnectionBudgetAndSeesChangesAtTheStartMiddleAndEnd()
			throws Exception {
		try (CatalogWriter writer = new CatalogWriter(consul.host(), consul.port())) {
			for (int i = 0; i < SERVICES; i++) {
				writer.register(node(i), service(i), service(i) + "-a", 20000 + i);
			}
			AtomicInteger mostConnections = new AtomicInteger();
			AtomicBoolean everStale = new AtomicBoolean();
			ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
			int before = LoopbackConnections.count("127.0.0.1", consul.port());
			try (ConsulBackend backend = consul.backend().build(); DiscoveryClient client = new DiscoveryClient(backend)) {
				long started = System.nanoTime();
				assertThat(client.getInstances(service(0))).hasSize(1);
				sampler.scheduleAtFixedRate(() -> {
					mostConnections.accumulateAndGet(LoopbackConnections.count("127.0.0.1", consul.port()) - before,
							Math::max);
					if (client.isStale()) {
						everStale.set(true);
					}
				}, 0, 20, TimeUnit.MILLISECONDS);
				for (int i = 1; i < SERVICES; i++) {
					assertThat(client.getInstances(service(i))).as(service(i)).hasSize(1);
				}
				System.out.printf(Locale.ROOT, "Consul: first lookups of %d services took %d ms%n", SERVICES,
						Duration.ofNanos(System.nanoTime() - started).toMillis());

				Awaitility.await()
					.atMost(Duration.ofSeconds(30))
					.until(() -> backend.health().details().get("pendingReads").equals(0));
				long requestsBefore = requests(backend);
				for (int i : new int[] { 0, SERVICES / 2, SERVICES - 1 }) {
					long changed = System.nanoTime();
					writer.register(node(i), service(i), service(i) + "-b", 30000 + i);
					Awaitility.await()
						.atMost(Duration.ofSeconds(10))
						.pollInterval(Duration.ofMillis(1))
						.until(() -> client.getInstances(service(i)).size() == 2);
					System.out.printf(Locale.ROOT, "Consul, %d services followed: a new instance of %s seen in %.1f ms%n",
							SERVICES, service(i), (System.nanoTime() - changed) / 1e6);
				}
				long requestsForChanges = requests(backend) - requestsBefore;
				System.out.printf(Locale.ROOT, "Consul: %d agent requests for 3 changes; at most %d connections and "
						+ "%d threads%n", requestsForChanges, mostConnections.get(), consulThreads());

				assertThat(requestsForChanges).as("agent requests for 3 changes among %d services", SERVICES)
					.isLessThan(15);
				BackendHealth health = backend.health();
				assertThat(health.reachable()).isTrue();
				assertThat(health.details()).containsEntry("errors", 0L).containsEntry("watches", SERVICES);
				assertThat(everStale).as("the client was stale at some point").isFalse();
				assertThat(consulThreads()).isLessThanOrEqualTo(MAX_THREADS);
				assertThat(mostConnections.get()).isBetween(1, 16);
			}
			finally {
				sampler.shutdownNow();
			}
		}
	}

	private static long requests(ConsulBackend backend) {
		return (Long) backend.health().details().get("requests");
	}

	private static long consulThreads() {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((thread) -> thread.getName().startsWith("discovery-consul-") && thread.isAlive())
			.count();
	}

	private static String service(int index) {
		return String.format(Locale.ROOT, "svc-%04d", index);
	}

	private static String node(int index) {
		return "scale-node-" + (index % NODES);
	}

}
