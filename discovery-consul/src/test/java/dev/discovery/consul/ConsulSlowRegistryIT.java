package dev.discovery.consul;

import java.time.Duration;

import dev.discovery.consul.testserver.ConsulAgentExtension;
import dev.discovery.core.DiscoveryBackend;
import dev.discovery.core.contract.SlowRegistryContractTest;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A real Consul agent behind a proxy that delays or black-holes its traffic.
 */
class ConsulSlowRegistryIT extends SlowRegistryContractTest {

	@RegisterExtension
	static final ConsulAgentExtension consul = ConsulAgentExtension.shared();

	@Override
	protected String registryHost() {
		return consul.host();
	}

	@Override
	protected int registryPort() {
		return consul.port();
	}

	@Override
	protected DiscoveryBackend createBackend(String host, int port, Duration ttl, Duration requestTimeout) {
		return ConsulBackend.builder().host(host).port(port).ttl(ttl).requestTimeout(requestTimeout).build();
	}

}
