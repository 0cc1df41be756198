package dev.discovery.consul;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import dev.discovery.consul.testserver.CatalogWriter;
import dev.discovery.consul.testserver.ConsulAgentExtension;
import dev.discovery.core.ServiceInstance;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which watches hold the blocking queries of the budget, against a real agent: a backend
 * with the smallest budget (one blocking query) and a clock the test moves. A change the
 * detector sees moves its service to the slot once the slot's service has been quiet for
 * 10 s, and both services keep receiving every change wherever they are followed.
 */
class ConsulWatchPlacementIT {

	@RegisterExtension
	static final ConsulAgentExtension consul = ConsulAgentExtension.shared();

	private final AtomicLong now = new AtomicLong();

	@Test
	void aChangedServiceTakesTheSlotOfAServiceQuietForTenSecondsAndNeitherMissesAChange() throws Exception {
		try (CatalogWriter writer = new CatalogWriter(consul.host(), consul.port());
				ConsulBackend observer = consul.backend()
					.maxConnections(ConnectionBudget.MIN_CONNECTIONS)
					.clock(this.now::get)
					.build()) {
			AtomicReference<List<ServiceInstance>> quiet = new AtomicReference<>();
			AtomicReference<List<ServiceInstance>> busy = new AtomicReference<>();
			observer.watch("placement-quiet", quiet::set);
			observer.watch("placement-busy", busy::set);
			eventually().until(() -> quiet.get() != null && busy.get() != null);
			assertThat(blockingQueryOf("placement-quiet")).isTrue();
			assertThat(blockingQueryOf("placement-busy")).isFalse();

			this.now.addAndGet(Duration.ofSeconds(9).toNanos());
			writer.register("placement-node", "placement-busy", "busy-1", 9001);
			eventually().until(() -> busy.get().size() == 1);
			assertThat(blockingQueryOf("placement-busy")).as("moved although the slot's service changed 9 s ago")
				.isFalse();

			this.now.addAndGet(Duration.ofSeconds(2).toNanos());
			writer.register("placement-node", "placement-busy", "busy-2", 9002);
			eventually().until(() -> busy.get().size() == 2 && blockingQueryOf("placement-busy")
					&& !blockingQueryOf("placement-quiet"));

			writer.register("placement-node", "placement-quiet", "quiet-1", 9101);
			eventually().until(() -> quiet.get().size() == 1);
			writer.deregister("placement-node", "busy-1");
			eventually().until(() -> busy.get().size() == 1);
			assertThat(observer.health().details()).containsEntry("watches", 2).containsEntry("blockingQueries", 1);
		}
	}

	private static boolean blockingQueryOf(String service) {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.anyMatch((thread) -> thread.getName().equals("discovery-consul-watch-" + service) && thread.isAlive());
	}

	private static ConditionFactory eventually() {
		return Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10));
	}

}
