package dev.discovery.core;

import org.jspecify.annotations.Nullable;

/**
 * Where a {@link ServiceCall} goes: one candidate of a {@link ServiceBalancer}'s current
 * plan with its {@link InstanceStats}. The plan makes one per candidate and every first
 * attempt without a request key shares it, so that such a call needs nothing else than its
 * handle; a call with a key or a previous attempt has a {@link ChainedTarget} of its own.
 */
class CallTarget {

	final ServiceBalancer balancer;

	final ServiceInstance instance;

	final InstanceStats stats;

	CallTarget(ServiceBalancer balancer, ServiceInstance instance, InstanceStats stats) {
		this.balancer = balancer;
		this.instance = instance;
		this.stats = stats;
	}

	/**
	 * Returns the request key of the call.
	 * @return the key, or {@code null} for none
	 */
	@Nullable String key() {
		return null;
	}

	/**
	 * Returns the attempt of the call that came before this one.
	 * @return the previous attempt, or {@code null} for a first attempt
	 */
	@Nullable ServiceCall previous() {
		return null;
	}

	/**
	 * Returns which attempt of the call goes to this target.
	 * @return 0 for the first attempt, 1 for the first retry, and so on
	 */
	int attempt() {
		return 0;
	}

}
