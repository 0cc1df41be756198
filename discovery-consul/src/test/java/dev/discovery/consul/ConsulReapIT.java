package dev.discovery.consul;

import java.time.Duration;

import dev.discovery.consul.testserver.ConsulAgentExtension;
import dev.discovery.core.ServiceInstance;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A registration whose owner died leaves the catalog by itself after
 * {@code DeregisterCriticalServiceAfter}. Consul's minimum for it is 1 minute and its reaper
 * runs every 30 s (neither can be lowered from a user's configuration in 1.8), so this test
 * takes 60-95 s.
 */
class ConsulReapIT {

	private static final Duration TTL = Duration.ofSeconds(2);

	private static final Duration DEREGISTER_AFTER = Duration.ofMinutes(1);

	private static final Duration REAP_INTERVAL = Duration.ofSeconds(30);

	@RegisterExtension
	static final ConsulAgentExtension consul = ConsulAgentExtension.shared();

	@Test
	void deadOwnersInstanceLeavesTheCatalogAfterDeregisterCriticalServiceAfter() throws Exception {
		try (ConsulBackend owner = consul.backend().ttl(TTL).deregisterCriticalAfter(DEREGISTER_AFTER).build();
				ConsulBackend observer = consul.backend().build()) {
			ServiceInstance doomed = ServiceInstance.builder("reaped", "127.0.0.1", 7801).build();
			owner.register(doomed);
			Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> observer.services().contains("reaped"));

			owner.crash();
			long crashed = System.nanoTime();

			Awaitility.await()
				.atMost(TTL.plus(DEREGISTER_AFTER).plus(REAP_INTERVAL).plusSeconds(5))
				.pollInterval(Duration.ofMillis(200))
				.until(() -> !observer.services().contains("reaped"));
			Duration gone = Duration.ofNanos(System.nanoTime() - crashed);
			System.out.println("Consul reaped the dead instance " + gone.toMillis() + " ms after its owner died");
			assertThat(gone).isGreaterThanOrEqualTo(DEREGISTER_AFTER);
			assertThat(observer.instances("reaped")).isEmpty();
		}
	}

}
