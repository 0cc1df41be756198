package dev.discovery.core;

/**
 * The serving status of a {@link ServiceInstance}. Only {@link #UP} instances are chosen by
 * a {@link LoadBalancer} through {@link DiscoveryClient}.
 */
public enum InstanceStatus {

	/** Registered, but not yet ready for traffic. */
	STARTING,

	/** Ready for traffic. */
	UP,

	/** Failing its health checks. */
	DOWN,

	/** Taken out of rotation on purpose, for example while it drains before shutdown. */
	OUT_OF_SERVICE

}
