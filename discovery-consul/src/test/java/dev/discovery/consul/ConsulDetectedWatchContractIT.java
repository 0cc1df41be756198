package dev.discovery.consul;

import java.time.Duration;

import dev.discovery.consul.testserver.ConsulAgentExtension;
import dev.discovery.core.DiscoveryBackend;
import dev.discovery.core.contract.DiscoveryBackendContractTest;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The backend contract against a real Consul agent with the watches of the suite followed
 * by the change detector: the blocking queries of each backend's budget are taken by
 * watches of unrelated services before the suite gets the backend. A slot moves to a
 * service of the suite only after those have been quiet for 10 s, and then through the
 * change detector, so the longer tests also cover that move.
 */
class ConsulDetectedWatchContractIT extends DiscoveryBackendContractTest {

	/** The budget with the 4 shared connections of the default, so that churn is not slowed down. */
	private static final int CONNECTIONS = 9;

	@RegisterExtension
	static final ConsulAgentExtension consul = ConsulAgentExtension.shared();

	@Override
	protected DiscoveryBackend createBackend(Duration ttl) {
		ConsulBackend backend = consul.backend().ttl(ttl).maxConnections(CONNECTIONS).build();
		for (int i = 0; i < new ConnectionBudget(CONNECTIONS).blockingQueries(); i++) {
			backend.watch("takes-a-blocking-query-" + i, (instances) -> {
			});
		}
		return backend;
	}

	@Override
	protected void crash(DiscoveryBackend backend) {
		((ConsulBackend) backend).crash();
	}

}
