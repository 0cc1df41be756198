package dev.discovery.spring.cloud;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.discovery.core.ServiceCall;
import dev.discovery.core.ServiceInstance;
import org.jspecify.annotations.Nullable;

/**
 * Spring Cloud's view of one of our instances. Its metadata is the instance's metadata
 * plus {@value #ZONE} (when the instance has a zone) and {@value #SECURE}, the keys Spring
 * Cloud LoadBalancer and Spring Cloud Consul read, so their zone preference and scheme
 * choice work on our instances; it is built on first use, since a request routed through
 * a balancer never reads it. An instance chosen by {@link BalancingPolicyLoadBalancer}
 * also carries the call it was chosen for, so that a retry continues that call. Immutable;
 * equal when the instances are equal.
 */
public final class CloudServiceInstance implements org.springframework.cloud.client.ServiceInstance {

	/** The metadata key of the instance's zone. */
	public static final String ZONE = "zone";

	/** The metadata key that says whether the instance serves https ({@code true}/{@code false}). */
	public static final String SECURE = "secure";

	private final ServiceInstance instance;

	private final @Nullable ServiceCall call;

	private @Nullable Map<String, String> metadata;

	private CloudServiceInstance(ServiceInstance instance, @Nullable ServiceCall call) {
		this.instance = instance;
		this.call = call;
	}

	/**
	 * Returns Spring Cloud's view of an instance.
	 * @param instance one of our instances
	 * @return its view
	 */
	public static CloudServiceInstance of(ServiceInstance instance) {
		return new CloudServiceInstance(instance, null);
	}

	static CloudServiceInstance chosen(ServiceCall call) {
		return new CloudServiceInstance(call.instance(), call);
	}

	/**
	 * Returns the instance a Spring Cloud instance stands for, when it is one of ours.
	 * @param instance an instance Spring Cloud handed back, possibly {@code null}
	 * @return our instance, or {@code null} when it is not one of ours
	 */
	public static @Nullable ServiceInstance unwrap(org.springframework.cloud.client.@Nullable ServiceInstance instance) {
		return (instance instanceof CloudServiceInstance ours) ? ours.instance : null;
	}

	/**
	 * Returns the instance this view stands for.
	 * @return our instance
	 */
	public ServiceInstance instance() {
		return this.instance;
	}

	@Nullable ServiceCall call() {
		return this.call;
	}

	@Override
	public String getInstanceId() {
		return this.instance.id();
	}

	@Override
	public String getServiceId() {
		return this.instance.service();
	}

	@Override
	public String getHost() {
		return this.instance.host();
	}

	@Override
	public int getPort() {
		return this.instance.port();
	}

	@Override
	public boolean isSecure() {
		return this.instance.secure();
	}

	@Override
	public URI getUri() {
		return this.instance.uri();
	}

	@Override
	public Map<String, String> getMetadata() {
		Map<String, String> metadata = this.metadata;
		if (metadata == null) {
			Map<String, String> all = new LinkedHashMap<>(this.instance.metadata());
			if (this.instance.zone() != null) {
				all.put(ZONE, this.instance.zone());
			}
			all.put(SECURE, Boolean.toString(this.instance.secure()));
			metadata = Map.copyOf(all);
			this.metadata = metadata;
		}
		return metadata;
	}

	@Override
	public String getScheme() {
		return this.instance.secure() ? "https" : "http";
	}

	@Override
	public boolean equals(Object other) {
		return (other instanceof CloudServiceInstance that) && this.instance.equals(that.instance);
	}

	@Override
	public int hashCode() {
		return this.instance.hashCode();
	}

	@Override
	public String toString() {
		return this.instance.toString();
	}

}
