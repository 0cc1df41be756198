package dev.discovery.core;

/**
 * Where a {@link Registration} is in its life, as seen by the backend that holds it.
 */
public enum RegistrationState {

	/** The first write to the registry has not succeeded yet. */
	REGISTERING,

	/** The registry holds the instance and the backend keeps it alive. */
	REGISTERED,

	/** The registry lost the instance (expired lease, restarted agent); the backend is restoring it. */
	LOST,

	/** The registration was closed and the instance removed; terminal. */
	CLOSED

}
