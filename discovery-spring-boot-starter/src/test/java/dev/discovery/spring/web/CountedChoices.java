package dev.discovery.spring.web;

import java.util.concurrent.atomic.AtomicInteger;

import dev.discovery.core.LoadBalancer;
import dev.discovery.spring.LoadBalancerCustomizer;

/**
 * Counts the choices of the starter's balancers, for every service.
 */
public class CountedChoices implements LoadBalancerCustomizer {

	private final AtomicInteger count = new AtomicInteger();

	@Override
	public LoadBalancer customize(String service, String strategy, LoadBalancer balancer) {
		return (candidates, key) -> {
			this.count.incrementAndGet();
			return balancer.choose(candidates, key);
		};
	}

	/**
	 * Returns how many choices were made so far.
	 * @return the count
	 */
	public int count() {
		return this.count.get();
	}

}
