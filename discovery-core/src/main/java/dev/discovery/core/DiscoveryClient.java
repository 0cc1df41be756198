package dev.discovery.core;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

/**
 * What applications use to find instances. Thread-safe; lookups after the first one for a
 * service never wait on the network, and {@code choose} neither locks nor allocates.
 * <p>
 * The first lookup of a service reads it from the backend and starts a backend watch; from
 * then on the client keeps one immutable snapshot per service, replaced whenever the watch
 * delivers. When the registry becomes unreachable the last snapshot stays in use and
 * {@link #isStale()} says so. Each service is balanced by its {@link BalancingPolicy}:
 * filters, zone affinity, outlier ejection with a panic threshold, then a strategy; calls
 * tracked through {@link #startCall} or {@link #execute} feed back in-flight counts,
 * latencies and failures. Closing the client ends its watches; it does not close the
 * backend, which belongs to whoever created it.
 * <p>
 * The by-name methods find the service's {@link ServiceHandle} in a table by the name as
 * given (checking and lower-casing it only when that finds nothing); callers that use one
 * service repeatedly can keep the handle from {@link #service(String)} and skip even that.
 */
public final class DiscoveryClient implements AutoCloseable {

	private final DiscoveryBackend backend;

	private final Function<String, BalancingPolicy> policyForService;

	private final LongSupplier clock;

	/** A {@link HandleTable} by lower-case name; replaced whole, under this object's monitor. */
	private volatile Object[] handles = HandleTable.EMPTY;

	private final List<Consumer<ServiceEvent>> globalListeners = new CopyOnWriteArrayList<>();

	private volatile boolean closed;

	/**
	 * Creates a client that balances every service round-robin, each with its own counter.
	 * @param backend the registry to read
	 */
	public DiscoveryClient(DiscoveryBackend backend) {
		this(backend, (service) -> LoadBalancers.byName(LoadBalancers.DEFAULT_STRATEGY));
	}

	/**
	 * Creates a client that uses one balancer for every service. A stateful balancer is then
	 * shared by all services; prefer {@link #DiscoveryClient(DiscoveryBackend, Function)} to
	 * give each service its own.
	 * @param backend the registry to read
	 * @param defaultBalancer the balancer for every service
	 */
	public DiscoveryClient(DiscoveryBackend backend, LoadBalancer defaultBalancer) {
		this(backend, (service) -> defaultBalancer);
	}

	/**
	 * Creates a client that asks for a balancer once per service, on its first lookup.
	 * @param backend the registry to read
	 * @param balancerForService gives the balancer of a (lower-case) service name
	 */
	public DiscoveryClient(DiscoveryBackend backend, Function<String, LoadBalancer> balancerForService) {
		this(backend, (service) -> BalancingPolicy.builder(balancerForService.apply(service)).build(), System::nanoTime);
	}

	/**
	 * Creates a client that asks for a {@link BalancingPolicy} once per service, on its first
	 * lookup, and measures call latencies and ejection times with the given clock.
	 * @param backend the registry to read
	 * @param policyForService gives the policy of a (lower-case) service name; each policy's
	 * balancer must be used by that service only
	 * @param clock a monotonic time source in nanoseconds, such as {@code System::nanoTime}
	 */
	public DiscoveryClient(DiscoveryBackend backend, Function<String, BalancingPolicy> policyForService,
			LongSupplier clock) {
		this.backend = backend;
		this.policyForService = policyForService;
		this.clock = clock;
	}

	/**
	 * Lists the services that have instances, from the registry.
	 * @return the service names
	 * @throws DiscoveryException if the registry is unreachable
	 */
	public Set<String> getServices() {
		return this.backend.services();
	}

	/**
	 * Returns the handle of a service, reading the service from the registry and starting
	 * its watch on the first lookup. Calls through the handle skip checking and looking up
	 * the name; the handle stays valid and current while this client is open.
	 * @param service the service name (any case)
	 * @return the service's handle, the same one for every call with that name
	 * @throws IllegalArgumentException if the name is invalid
	 * @throws DiscoveryException if this is the first lookup and the registry is unreachable
	 * @throws IllegalStateException if this client is closed
	 */
	public ServiceHandle service(String service) {
		String name = Validation.serviceName(service);
		if (this.closed) {
			throw new IllegalStateException("DiscoveryClient is closed");
		}
		ServiceHandle found = HandleTable.find(this.handles, name);
		ServiceHandle handle = (found != null) ? found : add(name);
		if (this.closed) {
			handle.close();
		}
		handle.load();
		return handle;
	}

	/**
	 * Lists the {@link InstanceStatus#UP} instances of a service, sorted by id.
	 * @param service the service name (any case)
	 * @return an immutable list, possibly empty
	 * @throws IllegalArgumentException if the name is invalid
	 * @throws DiscoveryException if this is the first lookup and the registry is unreachable
	 */
	public List<ServiceInstance> getInstances(String service) {
		return handle(service).instances();
	}

	/**
	 * Lists the instances of a service in every status, sorted by id.
	 * @param service the service name (any case)
	 * @return an immutable list, possibly empty
	 * @throws IllegalArgumentException if the name is invalid
	 * @throws DiscoveryException if this is the first lookup and the registry is unreachable
	 */
	public List<ServiceInstance> getAllInstances(String service) {
		return handle(service).allInstances();
	}

	/**
	 * Chooses one {@link InstanceStatus#UP} instance with the service's balancer.
	 * @param service the service name (any case)
	 * @return the instance, or empty when the service has no UP instance
	 * @throws IllegalArgumentException if the name is invalid
	 * @throws DiscoveryException if this is the first lookup and the registry is unreachable
	 */
	public Optional<ServiceInstance> choose(String service) {
		return handle(service).choose();
	}

	/**
	 * Chooses one {@link InstanceStatus#UP} instance with the service's balancer, passing a
	 * request key to strategies that keep affinity.
	 * @param service the service name (any case)
	 * @param key the request key
	 * @return the instance, or empty when the service has no UP instance
	 * @throws IllegalArgumentException if the name is invalid
	 * @throws DiscoveryException if this is the first lookup and the registry is unreachable
	 */
	public Optional<ServiceInstance> choose(String service, String key) {
		return handle(service).choose(key);
	}

	/**
	 * Chooses an instance like {@link #choose(String, String)} and starts tracking a call to
	 * it. The caller must end the returned handle (success, failure or close); in between it
	 * counts as a call in flight. This allocates the handle and nothing else.
	 * @param service the service name (any case)
	 * @param key the request key for strategies that keep affinity, or {@code null}
	 * @return the handle of the call, or {@code null} when the service has no UP instance
	 * @throws IllegalArgumentException if the name is invalid
	 * @throws DiscoveryException if this is the first lookup and the registry is unreachable
	 */
	public @Nullable ServiceCall startCall(String service, @Nullable String key) {
		return handle(service).startCall(key);
	}

	/**
	 * Calls an idempotent operation on an instance of a service: picks one, and when the
	 * call throws, retries it on instances not tried yet as the service's {@link Retries}
	 * allow, reporting every attempt's outcome.
	 * @param <T> the result
	 * @param <E> the checked exception of the call
	 * @param service the service name (any case)
	 * @param call the operation
	 * @return the result of the first attempt that succeeded
	 * @throws E the failure of the last attempt, with the one before it suppressed, and so on
	 * @throws ServiceUnavailableException if the service has no UP instance
	 */
	public <T, E extends Exception> T execute(String service, InstanceCall<T, E> call) throws E {
		return handle(service).execute(call);
	}

	/**
	 * Calls an operation on an instance of a service: picks one with the request key, and
	 * when the call throws and the operation is idempotent, retries it on instances not
	 * tried yet as the service's {@link Retries} allow, reporting every attempt's outcome.
	 * An operation that is not idempotent is attempted once.
	 * @param <T> the result
	 * @param <E> the checked exception of the call
	 * @param service the service name (any case)
	 * @param key the request key for strategies that keep affinity, or {@code null}
	 * @param idempotent whether the operation may safely run more than once
	 * @param call the operation
	 * @return the result of the first attempt that succeeded
	 * @throws E the failure of the last attempt, with the one before it suppressed, and so on
	 * @throws ServiceUnavailableException if the service has no UP instance
	 */
	public <T, E extends Exception> T execute(String service, @Nullable String key, boolean idempotent,
			InstanceCall<T, E> call) throws E {
		return handle(service).execute(key, idempotent, call);
	}

	/**
	 * Subscribes to the changes of a service's instances, computed by comparing consecutive
	 * snapshots. Events arrive in order, on the backend's delivery thread; an exception from
	 * the listener is logged and does not affect other listeners or the watch. Instances
	 * present when subscribing are not replayed.
	 * @param service the service name (any case)
	 * @param listener receives the events
	 * @return the subscription; closing it stops delivery
	 * @throws IllegalArgumentException if the name is invalid
	 * @throws DiscoveryException if this is the first lookup and the registry is unreachable
	 */
	public AutoCloseable addListener(String service, Consumer<ServiceEvent> listener) {
		return handle(service).addListener(listener);
	}

	/**
	 * Subscribes to the changes of every service this client watches, now or later, with the
	 * same guarantees as {@link #addListener(String, Consumer)}. It does not start any watch.
	 * @param listener receives the events; {@link ServiceEvent#instance()} names the service
	 * @return the subscription; closing it stops delivery
	 */
	public AutoCloseable addListener(Consumer<ServiceEvent> listener) {
		this.globalListeners.add(listener);
		return () -> this.globalListeners.remove(listener);
	}

	/**
	 * Tells whether the registry is currently unreachable, so that the snapshots served may
	 * be out of date.
	 * @return {@code true} while serving the last known view of an unreachable registry
	 */
	public boolean isStale() {
		return !this.backend.health().reachable();
	}

	/**
	 * Returns the names of the services this client has looked up and keeps current.
	 * @return the watched service names
	 */
	public Set<String> getWatchedServices() {
		return HandleTable.handles(this.handles)
			.stream()
			.filter(ServiceHandle::loaded)
			.map(ServiceHandle::name)
			.collect(Collectors.toUnmodifiableSet());
	}

	/**
	 * Ends every watch and forgets every snapshot. Idempotent; the backend stays open.
	 */
	@Override
	public void close() {
		this.closed = true;
		Object[] closing;
		synchronized (this) {
			closing = this.handles;
			this.handles = HandleTable.EMPTY;
		}
		for (ServiceHandle handle : HandleTable.handles(closing)) {
			handle.close();
		}
	}

	/**
	 * Finds the handle of a service by the name as given, checking and lower-casing the name
	 * only when that finds none.
	 */
	private ServiceHandle handle(String service) {
		ServiceHandle handle = HandleTable.find(this.handles, service);
		return (handle != null) ? handle : service(service);
	}

	private synchronized ServiceHandle add(String name) {
		ServiceHandle found = HandleTable.find(this.handles, name);
		if (found != null) {
			return found;
		}
		ServiceHandle created = new ServiceHandle(name, this.policyForService.apply(name), this.backend,
				this.globalListeners, this.clock);
		this.handles = HandleTable.with(this.handles, name, created);
		return created;
	}

}
