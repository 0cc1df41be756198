package dev.discovery.spring;

import dev.discovery.core.LoadBalancer;

/**
 * Decorates the balancer of one service when {@link ServiceLoadBalancers} creates it, for
 * example to count choices. Beans of this type are applied in order.
 */
@FunctionalInterface
public interface LoadBalancerCustomizer {

	/**
	 * Returns the balancer to use for a service: the given one or a decorator of it.
	 * @param service the service name, lower case
	 * @param strategy the configured strategy name
	 * @param balancer the balancer created so far
	 * @return the balancer to use
	 */
	LoadBalancer customize(String service, String strategy, LoadBalancer balancer);

}
