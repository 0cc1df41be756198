package dev.discovery.spring.autoconfigure;

import java.util.HashSet;
import java.util.function.Function;

import dev.discovery.core.BalancingPolicy;
import dev.discovery.core.InstanceFilter;
import dev.discovery.spring.ServiceLoadBalancers;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;

/**
 * The {@link BalancingPolicy} of each called service, from
 * {@code discovery.load-balancer.*} with per-service overrides, the balancers of
 * {@link ServiceLoadBalancers}, and this application's zone.
 */
class BalancingPolicies implements Function<String, BalancingPolicy> {

	private final DiscoveryProperties.LoadBalancer settings;

	private final ServiceLoadBalancers balancers;

	private final @Nullable String zone;

	BalancingPolicies(DiscoveryProperties.LoadBalancer settings, ServiceLoadBalancers balancers, @Nullable String zone) {
		this.settings = settings;
		this.balancers = balancers;
		this.zone = zone;
	}

	@Override
	public BalancingPolicy apply(String service) {
		DiscoveryProperties.ServiceLoadBalancer effective = this.settings.forService(service);
		return BalancingPolicy.builder(this.balancers.apply(service))
			.filter(new InstanceFilter(new HashSet<>(effective.getTags()), effective.getMetadata()))
			.zone(this.zone, require(effective.getZoneThreshold()))
			.panicThreshold(require(effective.getPanicThreshold()))
			.outlierDetection(effective.outlierDetection())
			.retries(effective.retries())
			.build();
	}

	/**
	 * Returns the header that carries the consistent-hash key of a service's requests.
	 * @param service the service name
	 * @return the header name, or {@code null} when none is configured
	 */
	@Nullable String hashHeader(String service) {
		return this.settings.forService(service).getHashHeader();
	}

	/**
	 * Returns where the load-balanced clients find the hash header of a service.
	 * @param policies the configured policies, if any
	 * @return the configured hash header of a service, or none for every service when no
	 * policies are configured
	 */
	static Function<String, @Nullable String> hashHeaders(ObjectProvider<BalancingPolicies> policies) {
		BalancingPolicies configured = policies.getIfAvailable();
		return (configured != null) ? configured::hashHeader : (service) -> null;
	}

	private static int require(@Nullable Integer value) {
		if (value == null) {
			throw new IllegalStateException("discovery.load-balancer settings are incomplete");
		}
		return value;
	}

}
