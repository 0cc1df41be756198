package dev.discovery.benchmarks;

import java.time.Duration;

import dev.discovery.core.DiscoveryBackend;
import dev.discovery.inmemory.InMemoryBackend;
import dev.discovery.inmemory.InMemoryRegistry;

/**
 * The registries measured end to end, each able to open independent clients (backends) on
 * one shared registry, as separate applications would.
 */
enum Registry {

	/** One {@link InMemoryRegistry} shared by every backend of the run. */
	INMEMORY("in-memory") {
		@Override
		DiscoveryBackend open(Servers servers, Duration ttl) {
			return new InMemoryBackend(IN_MEMORY, ttl);
		}
	},

	/** The run's etcd member. */
	ETCD("etcd") {
		@Override
		DiscoveryBackend open(Servers servers, Duration ttl) {
			return servers.etcdBackend(ttl);
		}
	},

	/** The run's Consul agent. */
	CONSUL("Consul") {
		@Override
		DiscoveryBackend open(Servers servers, Duration ttl) throws Exception {
			return servers.consulBackend(ttl);
		}
	};

	private static final InMemoryRegistry IN_MEMORY = new InMemoryRegistry();

	private final String label;

	Registry(String label) {
		this.label = label;
	}

	/**
	 * Opens a new client of this registry.
	 * @param servers the run's servers
	 * @param ttl the registration TTL
	 * @return the backend, which the caller closes
	 * @throws Exception if the server could not be had
	 */
	abstract DiscoveryBackend open(Servers servers, Duration ttl) throws Exception;

	/**
	 * Returns the name in the report.
	 * @return the label
	 */
	String label() {
		return this.label;
	}

}
