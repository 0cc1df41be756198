package dev.discovery.inmemory;

import java.time.Duration;

import dev.discovery.core.DiscoveryBackend;
import dev.discovery.core.contract.DiscoveryBackendContractTest;
import org.junit.jupiter.api.AfterEach;

class InMemoryBackendContractTest extends DiscoveryBackendContractTest {

	private final InMemoryRegistry registry = new InMemoryRegistry();

	@AfterEach
	void closeRegistry() {
		this.registry.close();
	}

	@Override
	protected DiscoveryBackend createBackend(Duration ttl) {
		return new InMemoryBackend(this.registry, ttl);
	}

	@Override
	protected void crash(DiscoveryBackend backend) {
		((InMemoryBackend) backend).abandon();
	}

	@Override
	protected Duration ttl() {
		return Duration.ofSeconds(1);
	}

}
