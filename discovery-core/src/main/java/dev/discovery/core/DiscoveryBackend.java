package dev.discovery.core;

import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The SPI one registry implements: etcd, Consul, in-memory. Implementations are thread-safe.
 * <p>
 * A backend owns liveness: it keeps every open {@link Registration} alive (lease keep-alive,
 * TTL heartbeat) and restores it after the registry lost it, with back-off, for as long as
 * the registration is open. Arguments reach a backend already validated, because
 * {@link ServiceInstance} is valid by construction; service names passed to
 * {@link #instances(String)} and {@link #watch(String, Consumer)} are checked with
 * {@link Validation#serviceName(String)}.
 */
public interface DiscoveryBackend extends AutoCloseable {

	/**
	 * Registers an instance and keeps it registered until the returned handle is closed.
	 * Registering the same service and id again replaces the earlier registration.
	 * @param instance the instance to register
	 * @return the handle of the registration
	 * @throws DiscoveryException if the registry refused the instance or could not be
	 * reached within the backend's timeout; nothing is left registered then
	 */
	Registration register(ServiceInstance instance);

	/**
	 * Reads the instances of a service, in every status, from the registry.
	 * @param service the service name
	 * @return the instances, possibly empty; never null
	 * @throws DiscoveryException if the registry could not be reached within the backend's
	 * timeout
	 */
	List<ServiceInstance> instances(String service);

	/**
	 * Reads the names of the services that have at least one instance.
	 * @return the service names, lower case
	 * @throws DiscoveryException if the registry could not be reached within the backend's
	 * timeout
	 */
	Set<String> services();

	/**
	 * Watches a service. The listener receives the full current list of instances (every
	 * status) soon after subscribing, and again after every change; quick successive changes
	 * may be coalesced into one list. Lists for one subscription arrive in order, one at a
	 * time, never on a thread of the registry client's I/O. An exception thrown by the
	 * listener is logged and does not end the watch. While the registry is unreachable no
	 * list is delivered; after it recovers, the current list is.
	 * @param service the service name
	 * @param listener receives immutable lists of instances
	 * @return the subscription; closing it stops delivery
	 */
	AutoCloseable watch(String service, Consumer<List<ServiceInstance>> listener);

	/**
	 * Reports the backend's connection to its registry. Cheap: it reads state the backend
	 * keeps and does not wait on the network.
	 * @return the current health
	 */
	BackendHealth health();

	/**
	 * Closes every registration and watch, then releases the client. Idempotent.
	 */
	@Override
	void close();

}
