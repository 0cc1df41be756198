package dev.discovery.consul;

import java.time.Duration;

import dev.discovery.consul.testserver.ConsulAgentExtension;
import dev.discovery.core.DiscoveryBackend;
import dev.discovery.core.contract.DiscoveryBackendContractTest;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The backend contract against a real Consul agent with every watch of the suite followed
 * by the change detector: each backend has the smallest connection budget, whose one
 * blocking query of its own is taken by a watch of an unrelated service before the suite
 * gets the backend.
 */
class ConsulDetectedWatchContractIT extends DiscoveryBackendContractTest {

	@RegisterExtension
	static final ConsulAgentExtension consul = ConsulAgentExtension.shared();

	@Override
	protected DiscoveryBackend createBackend(Duration ttl) {
		ConsulBackend backend = consul.backend().ttl(ttl).maxConnections(ConnectionBudget.MIN_CONNECTIONS).build();
		backend.watch("takes-the-only-blocking-query", (instances) -> {
		});
		return backend;
	}

	@Override
	protected void crash(DiscoveryBackend backend) {
		((ConsulBackend) backend).crash();
	}

}
