package dev.discovery.consul;

import java.time.Duration;

import dev.discovery.consul.testserver.ConsulAgentExtension;
import dev.discovery.core.DiscoveryBackend;
import dev.discovery.core.contract.DiscoveryBackendContractTest;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The backend contract against a real Consul agent.
 */
class ConsulBackendContractIT extends DiscoveryBackendContractTest {

	@RegisterExtension
	static final ConsulAgentExtension consul = ConsulAgentExtension.shared();

	@Override
	protected DiscoveryBackend createBackend(Duration ttl) {
		return consul.backend().ttl(ttl).build();
	}

	@Override
	protected void crash(DiscoveryBackend backend) {
		((ConsulBackend) backend).crash();
	}

}
