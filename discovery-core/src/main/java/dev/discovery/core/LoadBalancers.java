package dev.discovery.core;

import java.util.Map;
import java.util.function.Supplier;

/**
 * Creates load balancers by strategy name, as used in configuration: {@code round-robin},
 * {@code random}, {@code weighted} (smooth weighted round-robin), {@code least-requests}
 * (power of two choices on calls in flight per weight), {@code latency} (power of two
 * choices on peak-EWMA latency) and {@code consistent-hash} (a ring keyed by the request
 * key). Each call returns a new, independent balancer.
 */
public final class LoadBalancers {

	/** The default strategy's name. */
	public static final String DEFAULT_STRATEGY = "round-robin";

	private static final Map<String, Supplier<LoadBalancer>> STRATEGIES = Map.of(
			"round-robin", RoundRobinLoadBalancer::new,
			"random", RandomLoadBalancer::new,
			"weighted", WeightedLoadBalancer::new,
			"least-requests", () -> new PowerOfTwoChoicesLoadBalancer(PowerOfTwoChoicesLoadBalancer.Load.IN_FLIGHT),
			"latency", () -> new PowerOfTwoChoicesLoadBalancer(PowerOfTwoChoicesLoadBalancer.Load.PEAK_EWMA),
			"consistent-hash", ConsistentHashLoadBalancer::new);

	private LoadBalancers() {
	}

	/**
	 * Creates a new balancer for a strategy name.
	 * @param name one of {@link #strategies()}
	 * @return a new balancer
	 * @throws IllegalArgumentException if the name is unknown; the message lists the known ones
	 */
	public static LoadBalancer byName(String name) {
		Supplier<LoadBalancer> strategy = STRATEGIES.get(name);
		if (strategy == null) {
			throw Validation.invalid("load-balancer strategy", name, "must be one of " + strategies());
		}
		return strategy.get();
	}

	/**
	 * Returns the names {@link #byName(String)} accepts, sorted.
	 * @return the strategy names
	 */
	public static java.util.SortedSet<String> strategies() {
		return new java.util.TreeSet<>(STRATEGIES.keySet());
	}

}
