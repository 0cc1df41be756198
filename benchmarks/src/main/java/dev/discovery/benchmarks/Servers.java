package dev.discovery.benchmarks;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.discovery.consul.ConsulBackend;
import dev.discovery.consul.testserver.ConsulAgentExtension;
import dev.discovery.etcd.EtcdBackend;
import dev.discovery.etcd.testserver.EtcdCluster;
import org.jspecify.annotations.Nullable;

/**
 * The real servers of one run, started on first use on free 127.0.0.1 ports the way the
 * integration tests start them: one etcd member, one {@code consul agent -dev} and, for the
 * measures at scale, Consul servers started as in production, one per purpose. Closing stops
 * them all.
 * Not thread-safe.
 */
final class Servers implements AutoCloseable {

	private @Nullable EtcdCluster etcd;

	private @Nullable ConsulAgentExtension consul;

	private final Map<String, ConsulAgentExtension> productionConsuls = new LinkedHashMap<>();

	/**
	 * Returns the etcd client URL, starting etcd if needed.
	 * @return the endpoint
	 */
	String etcdEndpoint() {
		return etcd().endpoints().get(0);
	}

	/**
	 * Counts the watches that clients have registered on this run's etcd, starting it if
	 * needed.
	 * @return the count, or 0 if etcd does not answer
	 */
	long etcdWatchers() {
		return etcd().member().watchers();
	}

	private EtcdCluster etcd() {
		EtcdCluster started = this.etcd;
		if (started == null) {
			started = EtcdCluster.start(1);
			this.etcd = started;
		}
		return started;
	}

	/**
	 * Returns the Consul agent, starting it if needed.
	 * @return the agent
	 * @throws Exception if it did not start
	 */
	ConsulAgentExtension consul() throws Exception {
		if (this.consul == null) {
			this.consul = started(ConsulAgentExtension.own());
		}
		return this.consul;
	}

	/**
	 * Returns a Consul server started as in production ({@code -server}, not {@code -dev}),
	 * starting it if needed: one per purpose, so that what one measure leaves running on a
	 * server, such as blocking queries of closed clients, which Consul ends only when their
	 * wait does, cannot slow another.
	 * @param purpose names the server
	 * @return the agent
	 * @throws Exception if it did not start
	 */
	ConsulAgentExtension productionConsul(String purpose) throws Exception {
		ConsulAgentExtension agent = this.productionConsuls.get(purpose);
		if (agent == null) {
			agent = started(ConsulAgentExtension.production());
			this.productionConsuls.put(purpose, agent);
		}
		return agent;
	}

	/**
	 * Opens a new etcd backend on this run's etcd.
	 * @param ttl the lease TTL
	 * @return the backend
	 */
	EtcdBackend etcdBackend(Duration ttl) {
		return EtcdBackend.builder().endpoints(etcdEndpoint()).ttl(ttl).build();
	}

	/**
	 * Opens a new Consul backend on this run's agent.
	 * @param ttl the TTL of the check
	 * @return the backend
	 * @throws Exception if the agent did not start
	 */
	ConsulBackend consulBackend(Duration ttl) throws Exception {
		return consul().backend().ttl(ttl).build();
	}

	@Override
	public void close() throws Exception {
		if (this.etcd != null) {
			this.etcd.close();
			this.etcd = null;
		}
		stop(this.consul);
		this.consul = null;
		for (ConsulAgentExtension agent : this.productionConsuls.values()) {
			stop(agent);
		}
		this.productionConsuls.clear();
	}

	private static ConsulAgentExtension started(ConsulAgentExtension agent) throws Exception {
		// The extension uses no part of the JUnit context; outside JUnit there is none.
		agent.beforeAll(null);
		return agent;
	}

	private static void stop(@Nullable ConsulAgentExtension agent) throws Exception {
		if (agent != null) {
			agent.afterAll(null);
		}
	}

}
