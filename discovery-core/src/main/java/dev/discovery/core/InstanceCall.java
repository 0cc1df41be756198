package dev.discovery.core;

/**
 * One attempt of a call to a chosen instance, for
 * {@link DiscoveryClient#execute(String, InstanceCall)}. Returning counts as success,
 * throwing as failure.
 *
 * @param <T> the result
 * @param <E> the checked exception the call may throw
 */
@FunctionalInterface
public interface InstanceCall<T, E extends Exception> {

	/**
	 * Calls the instance.
	 * @param instance the chosen instance
	 * @return the result
	 * @throws E if the call failed
	 */
	T call(ServiceInstance instance) throws E;

}
