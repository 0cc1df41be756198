package dev.discovery.core;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One service of a {@link DiscoveryClient}, for callers that use the same service again
 * and again: it does what the client's by-name methods do without looking the name up,
 * since it holds the service's snapshot, balancer and listeners itself (the client's
 * by-name methods find it by name, then delegate to it).
 * <p>
 * Obtained from {@link DiscoveryClient#service(String)}, once the service has been read
 * from the registry and is watched. Keeping it costs nothing: it is the client's own state
 * of the service, so it is thread-safe, stays valid and always serves the current snapshot
 * while the client is open; {@link #choose()} neither locks nor allocates. Once the client
 * is closed, every method that reads or balances the service throws
 * {@link IllegalStateException}.
 */
public final class ServiceHandle {

	private static final Logger logger = LoggerFactory.getLogger(ServiceHandle.class);

	private static final Comparator<ServiceInstance> BY_ID = Comparator.comparing(ServiceInstance::id);

	private final String service;

	private final DiscoveryBackend backend;

	private final List<Consumer<ServiceEvent>> globalListeners;

	private final ServiceBalancer balancer;

	private final List<Consumer<ServiceEvent>> listeners = new CopyOnWriteArrayList<>();

	private volatile @Nullable Snapshot snapshot;

	private @Nullable AutoCloseable watch;

	private boolean closed;

	/**
	 * Creates the state of one service, not yet read from the registry.
	 * @param service the lower-case service name
	 * @param policy how to balance the service
	 * @param backend the registry to read and watch
	 * @param globalListeners the client's listeners of every service, also told of this one's changes
	 * @param clock the time source, in nanoseconds, for latencies and ejection times
	 */
	ServiceHandle(String service, BalancingPolicy policy, DiscoveryBackend backend,
			List<Consumer<ServiceEvent>> globalListeners, LongSupplier clock) {
		this.service = service;
		this.backend = backend;
		this.globalListeners = globalListeners;
		this.balancer = new ServiceBalancer(policy, () -> snapshot().up(), clock);
	}

	/**
	 * Returns the service's name.
	 * @return the lower-case service name
	 */
	public String name() {
		return this.service;
	}

	/**
	 * Lists the {@link InstanceStatus#UP} instances of the service, sorted by id.
	 * @return an immutable list, possibly empty
	 * @throws IllegalStateException if the client is closed
	 */
	public List<ServiceInstance> instances() {
		return snapshot().up();
	}

	/**
	 * Lists the instances of the service in every status, sorted by id.
	 * @return an immutable list, possibly empty
	 * @throws IllegalStateException if the client is closed
	 */
	public List<ServiceInstance> allInstances() {
		return snapshot().all();
	}

	/**
	 * Chooses one {@link InstanceStatus#UP} instance with the service's balancer, without
	 * locking or allocating.
	 * @return the instance, or empty when the service has no UP instance
	 * @throws IllegalStateException if the client is closed
	 */
	public Optional<ServiceInstance> choose() {
		return this.balancer.choose(null);
	}

	/**
	 * Chooses one {@link InstanceStatus#UP} instance with the service's balancer, passing a
	 * request key to strategies that keep affinity.
	 * @param key the request key
	 * @return the instance, or empty when the service has no UP instance
	 * @throws IllegalStateException if the client is closed
	 */
	public Optional<ServiceInstance> choose(String key) {
		return this.balancer.choose(key);
	}

	/**
	 * Chooses an instance like {@link #choose(String)} and starts tracking a call to it. The
	 * caller must end the returned handle (success, failure or close); in between it counts
	 * as a call in flight. This allocates the handle and nothing else.
	 * @param key the request key for strategies that keep affinity, or {@code null}
	 * @return the handle of the call, or {@code null} when the service has no UP instance
	 * @throws IllegalStateException if the client is closed
	 */
	public @Nullable ServiceCall startCall(@Nullable String key) {
		return this.balancer.start(key);
	}

	/**
	 * Calls an idempotent operation on an instance of the service, as
	 * {@link DiscoveryClient#execute(String, InstanceCall)} does.
	 * @param <T> the result
	 * @param <E> the checked exception of the call
	 * @param call the operation
	 * @return the result of the first attempt that succeeded
	 * @throws E the failure of the last attempt, with the one before it suppressed, and so on
	 * @throws ServiceUnavailableException if the service has no UP instance
	 * @throws IllegalStateException if the client is closed
	 */
	public <T, E extends Exception> T execute(InstanceCall<T, E> call) throws E {
		return execute(null, true, call);
	}

	/**
	 * Calls an operation on an instance of the service: picks one with the request key, and
	 * when the call throws and the operation is idempotent, retries it on instances not
	 * tried yet as the service's {@link Retries} allow, reporting every attempt's outcome.
	 * An operation that is not idempotent is attempted once.
	 * @param <T> the result
	 * @param <E> the checked exception of the call
	 * @param key the request key for strategies that keep affinity, or {@code null}
	 * @param idempotent whether the operation may safely run more than once
	 * @param call the operation
	 * @return the result of the first attempt that succeeded
	 * @throws E the failure of the last attempt, with the one before it suppressed, and so on
	 * @throws ServiceUnavailableException if the service has no UP instance
	 * @throws IllegalStateException if the client is closed
	 */
	public <T, E extends Exception> T execute(@Nullable String key, boolean idempotent, InstanceCall<T, E> call)
			throws E {
		ServiceCall attempt = startCall(key);
		if (attempt == null) {
			throw new ServiceUnavailableException(this.service);
		}
		@Nullable Exception previous = null;
		while (true) {
			try {
				T result = call.call(attempt.instance());
				attempt.succeeded();
				return result;
			}
			catch (Exception ex) {
				attempt.failed();
				if (previous != null) {
					ex.addSuppressed(previous);
				}
				previous = ex;
				ServiceCall next = idempotent ? retry(attempt) : null;
				if (next == null) {
					throw ServiceHandle.<E>rethrow(ex);
				}
				attempt = next;
			}
		}
	}

	/**
	 * Subscribes to the changes of the service's instances, as
	 * {@link DiscoveryClient#addListener(String, Consumer)} does.
	 * @param listener receives the events
	 * @return the subscription; closing it stops delivery
	 * @throws IllegalStateException if the client is closed
	 */
	public AutoCloseable addListener(Consumer<ServiceEvent> listener) {
		snapshot();
		this.listeners.add(listener);
		return () -> this.listeners.remove(listener);
	}

	@Override
	public String toString() {
		return "ServiceHandle{" + this.service + "}";
	}

	/**
	 * Tells whether the service has been read from the registry and is served.
	 * @return {@code true} once loaded, until closed
	 */
	boolean loaded() {
		return this.snapshot != null;
	}

	/**
	 * Reads the service from the registry and starts watching it, unless that is done.
	 * @throws DiscoveryException if the registry is unreachable
	 * @throws IllegalStateException if the client is closed
	 */
	synchronized void load() {
		if (this.closed) {
			throw new IllegalStateException("DiscoveryClient is closed");
		}
		if (this.snapshot != null) {
			return;
		}
		update(this.backend.instances(this.service));
		this.watch = this.backend.watch(this.service, this::update);
	}

	/**
	 * Ends the watch and forgets the snapshot, for good.
	 */
	synchronized void close() {
		this.closed = true;
		this.snapshot = null;
		this.balancer.instancesChanged();
		AutoCloseable current = this.watch;
		this.watch = null;
		if (current != null) {
			try {
				current.close();
			}
			catch (Exception ex) {
				logger.warn("Could not close the watch of service '{}'", this.service, ex);
			}
		}
	}

	private Snapshot snapshot() {
		Snapshot current = this.snapshot;
		if (current == null) {
			load();
			current = this.snapshot;
		}
		if (current == null) {
			throw new IllegalStateException("DiscoveryClient is closed");
		}
		return current;
	}

	private synchronized void update(List<ServiceInstance> instances) {
		if (this.closed) {
			return;
		}
		List<ServiceInstance> all = sortedById(instances);
		Snapshot previous = this.snapshot;
		if (previous != null && previous.all().equals(all)) {
			if (all == instances && previous.all() != all) {
				replace(all);
			}
			return;
		}
		replace(all);
		if (previous != null) {
			publish(ServiceEvents.between(previous.all(), all));
		}
	}

	/**
	 * Returns the instances as an immutable list sorted by id: the given list itself when it
	 * is both already, as backends that keep their instances in order hand it over. Such a
	 * list is kept even when it equals the snapshot's, so that a cached service's instances
	 * are held in one list, the backend's, not in one per layer.
	 */
	private static List<ServiceInstance> sortedById(List<ServiceInstance> instances) {
		for (int i = 1; i < instances.size(); i++) {
			if (BY_ID.compare(instances.get(i - 1), instances.get(i)) > 0) {
				return instances.stream().sorted(BY_ID).toList();
			}
		}
		return List.copyOf(instances);
	}

	private void replace(List<ServiceInstance> all) {
		this.snapshot = Snapshot.of(all);
		this.balancer.instancesChanged();
	}

	private void publish(List<ServiceEvent> events) {
		for (ServiceEvent event : events) {
			notify(this.listeners, event);
			notify(this.globalListeners, event);
		}
	}

	private void notify(List<Consumer<ServiceEvent>> listeners, ServiceEvent event) {
		for (Consumer<ServiceEvent> listener : listeners) {
			try {
				listener.accept(event);
			}
			catch (RuntimeException ex) {
				logger.warn("Listener of service '{}' failed on {}", this.service, event.type(), ex);
			}
		}
	}

	private static @Nullable ServiceCall retry(ServiceCall attempt) {
		try {
			return attempt.retry();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return null;
		}
	}

	@SuppressWarnings("unchecked")
	private static <E extends Exception> E rethrow(Exception ex) {
		if (ex instanceof RuntimeException runtime) {
			throw runtime;
		}
		return (E) ex;
	}

	private record Snapshot(List<ServiceInstance> all, List<ServiceInstance> up) {

		/**
		 * Makes the snapshot of an immutable list sorted by id; when every instance is UP,
		 * both views are that list.
		 */
		static Snapshot of(List<ServiceInstance> sorted) {
			if (sorted.stream().allMatch(Snapshot::isUp)) {
				return new Snapshot(sorted, sorted);
			}
			return new Snapshot(sorted, sorted.stream().filter(Snapshot::isUp).toList());
		}

		private static boolean isUp(ServiceInstance instance) {
			return instance.status() == InstanceStatus.UP;
		}

	}

}
