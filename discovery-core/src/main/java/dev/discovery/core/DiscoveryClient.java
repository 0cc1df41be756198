package dev.discovery.core;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 */
public final class DiscoveryClient implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(DiscoveryClient.class);

	private static final Comparator<ServiceInstance> BY_ID = Comparator.comparing(ServiceInstance::id);

	private final DiscoveryBackend backend;

	private final Function<String, BalancingPolicy> policyForService;

	private final LongSupplier clock;

	private final ConcurrentHashMap<String, ServiceView> views = new ConcurrentHashMap<>();

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
	 * Lists the {@link InstanceStatus#UP} instances of a service, sorted by id.
	 * @param service the service name (any case)
	 * @return an immutable list, possibly empty
	 * @throws IllegalArgumentException if the name is invalid
	 * @throws DiscoveryException if this is the first lookup and the registry is unreachable
	 */
	public List<ServiceInstance> getInstances(String service) {
		return view(service).snapshot().up();
	}

	/**
	 * Lists the instances of a service in every status, sorted by id.
	 * @param service the service name (any case)
	 * @return an immutable list, possibly empty
	 * @throws IllegalArgumentException if the name is invalid
	 * @throws DiscoveryException if this is the first lookup and the registry is unreachable
	 */
	public List<ServiceInstance> getAllInstances(String service) {
		return view(service).snapshot().all();
	}

	/**
	 * Chooses one {@link InstanceStatus#UP} instance with the service's balancer.
	 * @param service the service name (any case)
	 * @return the instance, or empty when the service has no UP instance
	 * @throws IllegalArgumentException if the name is invalid
	 * @throws DiscoveryException if this is the first lookup and the registry is unreachable
	 */
	public Optional<ServiceInstance> choose(String service) {
		return pick(view(service), null);
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
		return pick(view(service), key);
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
		return view(service).balancer.start(key);
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
		return execute(service, null, true, call);
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
		ServiceCall attempt = startCall(service, key);
		if (attempt == null) {
			throw new ServiceUnavailableException(Validation.serviceName(service));
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
					throw DiscoveryClient.<E>rethrow(ex);
				}
				attempt = next;
			}
		}
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
		ServiceView view = view(service);
		view.listeners.add(listener);
		return () -> view.listeners.remove(listener);
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
		return Set.copyOf(this.views.keySet());
	}

	/**
	 * Ends every watch and forgets every snapshot. Idempotent; the backend stays open.
	 */
	@Override
	public void close() {
		this.closed = true;
		for (ServiceView view : this.views.values()) {
			view.close();
		}
		this.views.clear();
	}

	private Optional<ServiceInstance> pick(ServiceView view, @Nullable String key) {
		ServiceInstance chosen = view.balancer.choose(key);
		if (chosen == null) {
			return Optional.empty();
		}
		Optional<ServiceInstance> cached = view.snapshot().choices().get(chosen);
		return (cached != null) ? cached : Optional.of(chosen);
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

	private ServiceView view(String service) {
		ServiceView view = this.views.get(service);
		if (view == null || view.snapshot == null) {
			view = load(Validation.serviceName(service));
		}
		return view;
	}

	private ServiceView load(String service) {
		if (this.closed) {
			throw new IllegalStateException("DiscoveryClient is closed");
		}
		ServiceView view = this.views.computeIfAbsent(service,
				(name) -> new ServiceView(name, this.policyForService.apply(name)));
		view.load();
		return view;
	}

	private final class ServiceView {

		private final String service;

		private final ServiceBalancer balancer;

		private final List<Consumer<ServiceEvent>> listeners = new CopyOnWriteArrayList<>();

		private volatile @Nullable Snapshot snapshot;

		private @Nullable AutoCloseable watch;

		ServiceView(String service, BalancingPolicy policy) {
			this.service = service;
			this.balancer = new ServiceBalancer(policy, () -> snapshot().up(), DiscoveryClient.this.clock);
		}

		Snapshot snapshot() {
			Snapshot current = this.snapshot;
			if (current == null) {
				throw new IllegalStateException("snapshot of " + this.service + " read before it was loaded");
			}
			return current;
		}

		synchronized void load() {
			if (this.snapshot != null) {
				return;
			}
			update(DiscoveryClient.this.backend.instances(this.service));
			this.watch = DiscoveryClient.this.backend.watch(this.service, this::update);
		}

		synchronized void update(List<ServiceInstance> instances) {
			List<ServiceInstance> all = new ArrayList<>(instances);
			all.sort(BY_ID);
			Snapshot previous = this.snapshot;
			if (previous != null && previous.all().equals(all)) {
				return;
			}
			this.snapshot = Snapshot.of(all);
			if (previous != null) {
				publish(ServiceEvents.between(previous.all(), all));
			}
		}

		private void publish(List<ServiceEvent> events) {
			for (ServiceEvent event : events) {
				notify(this.listeners, event);
				notify(DiscoveryClient.this.globalListeners, event);
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

		synchronized void close() {
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

	}

	private record Snapshot(List<ServiceInstance> all, List<ServiceInstance> up,
			Map<ServiceInstance, Optional<ServiceInstance>> choices) {

		static Snapshot of(List<ServiceInstance> sorted) {
			List<ServiceInstance> up = new ArrayList<>();
			Map<ServiceInstance, Optional<ServiceInstance>> choices = new IdentityHashMap<>();
			for (ServiceInstance instance : sorted) {
				if (instance.status() == InstanceStatus.UP) {
					up.add(instance);
					choices.put(instance, Optional.of(instance));
				}
			}
			return new Snapshot(List.copyOf(sorted), List.copyOf(up), choices);
		}

	}

}
