package dev.discovery.consul;

import java.net.URI;
import java.time.Duration;

import dev.discovery.consul.ConsulBackend.CheckType;
import dev.discovery.core.ServiceInstance;
import org.jspecify.annotations.Nullable;

/**
 * How the backend asks Consul to check its instances. Immutable.
 *
 * @param type TTL (the backend passes the check) or HTTP (Consul calls the instance)
 * @param ttl the TTL of a TTL check
 * @param path the path of an HTTP check
 * @param port the port of an HTTP check, or {@code null} for the instance's port
 * @param secure whether an HTTP check uses https, or {@code null} for the instance's scheme
 * @param interval how often Consul runs an HTTP check
 * @param tlsSkipVerify whether Consul skips verifying the certificate of an https instance
 * in an HTTP check
 * @param failuresBeforeCritical how many HTTP checks in a row must fail before Consul marks
 * a passing instance critical
 * @param successesBeforePassing how many HTTP checks in a row must succeed before Consul
 * marks a critical instance passing
 * @param deregisterCriticalAfter how long a check may stay critical before Consul removes
 * the instance
 */
record CheckSettings(CheckType type, Duration ttl, String path, @Nullable Integer port, @Nullable Boolean secure,
		Duration interval, boolean tlsSkipVerify, int failuresBeforeCritical, int successesBeforePassing,
		Duration deregisterCriticalAfter) {

	/**
	 * How often the backend passes a TTL check, or makes sure the agent still knows an
	 * instance with an HTTP check.
	 */
	Duration heartbeatPeriod() {
		return (this.type == CheckType.TTL) ? this.ttl.dividedBy(3) : this.interval;
	}

	static String checkId(String instanceId) {
		return "service:" + instanceId;
	}

	ConsulJson.CheckDefinition definition(ServiceInstance instance) {
		String checkId = checkId(instance.id());
		String deregister = goDuration(this.deregisterCriticalAfter);
		if (this.type == CheckType.TTL) {
			return new ConsulJson.CheckDefinition(checkId, "discovery TTL", goDuration(this.ttl), null, null,
					StatusMapping.initialTtlCheckStatus(instance.status()), deregister, null, null, null);
		}
		return new ConsulJson.CheckDefinition(checkId, "discovery HTTP", null, url(instance), goDuration(this.interval),
				null, deregister, this.tlsSkipVerify ? Boolean.TRUE : null, this.failuresBeforeCritical,
				this.successesBeforePassing);
	}

	/**
	 * The URL an HTTP check polls: the instance's host, the check's scheme and port or else
	 * the instance's, and the check's path.
	 */
	String url(ServiceInstance instance) {
		URI base = instance.uri();
		String scheme = (this.secure != null) ? (this.secure ? "https" : "http") : base.getScheme();
		int checked = (this.port != null) ? this.port : base.getPort();
		return scheme + "://" + base.getHost() + ":" + checked + this.path;
	}

	private static String goDuration(Duration duration) {
		return duration.toMillis() + "ms";
	}

}
