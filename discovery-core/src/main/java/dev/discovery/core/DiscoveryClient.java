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
 * {@link #isStale()} says so. Closing the client ends its watches; it does not close the
 * backend, which belongs to whoever created it.
 */
public final class DiscoveryClient implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(DiscoveryClient.class);

	private static final Comparator<ServiceInstance> BY_ID = Comparator.comparing(ServiceInstance::id);

	private final DiscoveryBackend backend;

	private final Function<String, LoadBalancer> balancerForService;

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
		this.backend = backend;
		this.balancerForService = balancerForService;
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
		Snapshot snapshot = view.snapshot();
		ServiceInstance chosen = view.balancer.choose(snapshot.up(), key);
		if (chosen == null) {
			return Optional.empty();
		}
		Optional<ServiceInstance> cached = snapshot.choices().get(chosen);
		return (cached != null) ? cached : Optional.of(chosen);
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
		ServiceView view = this.views.computeIfAbsent(service, (name) -> new ServiceView(name,
				this.balancerForService.apply(name)));
		view.load();
		return view;
	}

	private final class ServiceView {

		private final String service;

		private final LoadBalancer balancer;

		private final List<Consumer<ServiceEvent>> listeners = new CopyOnWriteArrayList<>();

		private volatile @Nullable Snapshot snapshot;

		private @Nullable AutoCloseable watch;

		ServiceView(String service, LoadBalancer balancer) {
			this.service = service;
			this.balancer = balancer;
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
