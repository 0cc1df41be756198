package dev.discovery.core;

/**
 * The handle of one registered instance, returned by {@link DiscoveryBackend#register}.
 * Thread-safe.
 */
public interface Registration extends AutoCloseable {

	/**
	 * Returns the instance as currently registered, with its current status.
	 * @return the instance
	 */
	ServiceInstance instance();

	/**
	 * Returns where this registration is in its life.
	 * @return the state
	 */
	RegistrationState state();

	/**
	 * Changes the registered status. While the registry is unreachable the new status is
	 * kept and written when the registration is restored.
	 * @param status the new status
	 * @throws IllegalStateException if the registration is closed, with the message of
	 * {@link #closed}
	 */
	void setStatus(InstanceStatus status);

	/**
	 * Deregisters the instance and stops keeping it alive. Idempotent; never throws, and
	 * logs when the registry could not be told (the instance then expires by its TTL).
	 */
	@Override
	void close();

	/**
	 * Returns the error that every backend throws when a closed registration is asked to
	 * change, so that the message is the same whichever registry is used.
	 * @param instance the instance the registration was for
	 * @return the exception, naming the service and the instance and what to do instead
	 */
	static IllegalStateException closed(ServiceInstance instance) {
		return new IllegalStateException("The registration of " + instance.service() + "/" + instance.id()
				+ " is closed; register the instance again to change its status");
	}

}
