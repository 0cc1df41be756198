package dev.discovery.grpc;

import java.time.Duration;

import dev.discovery.consul.ConsulBackend;
import dev.discovery.consul.ConsulCrashes;
import dev.discovery.consul.testserver.ConsulAgentExtension;
import dev.discovery.core.DiscoveryBackend;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The greeting fleet on a real Consul agent: a killed server's TTL check turns critical
 * after 2 s and the agent's health query stops returning it.
 */
class ConsulGreetingIT extends RegistryGreetingContract {

	@RegisterExtension
	static final ConsulAgentExtension consul = ConsulAgentExtension.own();

	@Override
	DiscoveryBackend backend() {
		return consul.backend().ttl(Duration.ofSeconds(2)).build();
	}

	@Override
	void crash(DiscoveryBackend backend) {
		ConsulCrashes.crash((ConsulBackend) backend);
	}

}
