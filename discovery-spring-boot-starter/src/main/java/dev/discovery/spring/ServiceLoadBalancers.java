package dev.discovery.spring;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.discovery.core.LoadBalancer;
import dev.discovery.core.LoadBalancers;

/**
 * Creates the balancer of each service, once, from a default strategy and per-service
 * overrides, then applies the {@link LoadBalancerCustomizer}s. Used by
 * {@link dev.discovery.core.DiscoveryClient} on the first lookup of each service.
 */
public class ServiceLoadBalancers implements Function<String, LoadBalancer> {

	private final String defaultStrategy;

	private final Map<String, String> strategies;

	private final List<LoadBalancerCustomizer> customizers;

	/**
	 * Creates the factory.
	 * @param defaultStrategy the strategy of services without an override
	 * @param strategies strategy per service name (any case)
	 * @param customizers applied in order to every balancer created
	 * @throws IllegalArgumentException if a strategy name is unknown
	 */
	public ServiceLoadBalancers(String defaultStrategy, Map<String, String> strategies,
			List<LoadBalancerCustomizer> customizers) {
		LoadBalancers.byName(defaultStrategy);
		strategies.values().forEach(LoadBalancers::byName);
		this.defaultStrategy = defaultStrategy;
		this.strategies = strategies.entrySet()
			.stream()
			.collect(Collectors.toUnmodifiableMap((entry) -> entry.getKey().toLowerCase(Locale.ROOT), Map.Entry::getValue));
		this.customizers = List.copyOf(customizers);
	}

	/**
	 * Returns the strategy name a service uses.
	 * @param service the service name
	 * @return the strategy name
	 */
	public String strategyOf(String service) {
		return this.strategies.getOrDefault(service.toLowerCase(Locale.ROOT), this.defaultStrategy);
	}

	/**
	 * Creates a new balancer for a service.
	 * @param service the service name, lower case
	 * @return the customised balancer
	 */
	@Override
	public LoadBalancer apply(String service) {
		String strategy = strategyOf(service);
		LoadBalancer balancer = LoadBalancers.byName(strategy);
		for (LoadBalancerCustomizer customizer : this.customizers) {
			balancer = customizer.customize(service, strategy, balancer);
		}
		return balancer;
	}

}
