package dev.discovery.inmemory;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import dev.discovery.core.BackendHealth;
import dev.discovery.core.DiscoveryBackend;
import dev.discovery.core.InstanceStatus;
import dev.discovery.core.Registration;
import dev.discovery.core.RegistrationState;
import dev.discovery.core.ServiceInstance;
import dev.discovery.core.Validation;
import dev.discovery.core.WatchDispatcher;

/**
 * A client of an {@link InMemoryRegistry}. Thread-safe. Each registration is renewed every
 * TTL / 3 while open, and put back if the registry expired it in the meantime; watches
 * deliver on this backend's own threads. {@link #close()} ends every watch, deregisters
 * everything and ends those threads, so a closed backend leaves nothing behind in a registry
 * that other backends go on using, such as the JVM-wide one.
 */
public final class InMemoryBackend implements DiscoveryBackend {

	/** The TTL used when none is given. */
	public static final Duration DEFAULT_TTL = Duration.ofSeconds(10);

	private final InMemoryRegistry registry;

	private final Duration ttl;

	private final Set<InMemoryRegistration> registrations = ConcurrentHashMap.newKeySet();

	private final Set<Subscription> watches = ConcurrentHashMap.newKeySet();

	private final ScheduledExecutorService heartbeats;

	private final ExecutorService deliveries;

	private volatile boolean closed;

	private volatile boolean abandoned;

	/**
	 * Creates a backend on the JVM-wide {@link InMemoryRegistry#shared() registry}, with the
	 * default TTL of 10 s.
	 */
	public InMemoryBackend() {
		this(DEFAULT_TTL);
	}

	/**
	 * Creates a backend on the JVM-wide {@link InMemoryRegistry#shared() registry}.
	 * @param ttl how long a registration lives without renewal
	 * @throws IllegalArgumentException if the TTL is not positive
	 */
	public InMemoryBackend(Duration ttl) {
		this(InMemoryRegistry.shared(), ttl);
	}

	/**
	 * Creates a backend on a given registry.
	 * @param registry the registry to use
	 * @param ttl how long a registration lives without renewal
	 * @throws IllegalArgumentException if the TTL is not positive
	 */
	public InMemoryBackend(InMemoryRegistry registry, Duration ttl) {
		this.registry = registry;
		this.ttl = Validation.positive("ttl", ttl);
		this.heartbeats = Executors.newSingleThreadScheduledExecutor(daemonThreads("discovery-inmemory-heartbeat"));
		this.deliveries = Executors.newCachedThreadPool(daemonThreads("discovery-inmemory-watch"));
		long period = Math.max(1, ttl.toMillis() / 3);
		this.heartbeats.scheduleAtFixedRate(this::renewAll, period, period, TimeUnit.MILLISECONDS);
	}

	@Override
	public Registration register(ServiceInstance instance) {
		ensureOpen();
		InMemoryRegistration registration = new InMemoryRegistration(instance);
		this.registrations.removeIf((earlier) -> earlier.supersededBy(instance));
		this.registrations.add(registration);
		this.registry.put(instance, registration, this.ttl);
		registration.state = RegistrationState.REGISTERED;
		return registration;
	}

	@Override
	public List<ServiceInstance> instances(String service) {
		return this.registry.instances(Validation.serviceName(service));
	}

	@Override
	public Set<String> services() {
		return this.registry.serviceNames();
	}

	@Override
	public AutoCloseable watch(String service, Consumer<List<ServiceInstance>> listener) {
		ensureOpen();
		String name = Validation.serviceName(service);
		Subscription subscription = new Subscription(name,
				new WatchDispatcher(name, this.deliveries, () -> this.registry.instances(name), listener));
		this.watches.add(subscription);
		this.registry.addWatcher(name, subscription.dispatcher);
		if (this.closed) {
			subscription.close();
		}
		return subscription;
	}

	@Override
	public BackendHealth health() {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("registrations", this.registrations.size());
		details.put("ttl", this.ttl.toString());
		return BackendHealth.reachable("inmemory", details);
	}

	@Override
	public void close() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		this.watches.forEach(Subscription::close);
		this.registrations.forEach(InMemoryRegistration::close);
		this.heartbeats.shutdownNow();
		this.deliveries.shutdownNow();
	}

	/**
	 * Simulates the crash of the process that owns this backend, for tests and failure
	 * drills: renewals and watches end and nothing is deregistered, as after a SIGKILL, so
	 * the registry expires this backend's registrations after their TTL. From then on the
	 * backend is closed, and its registrations no longer change the registry: their
	 * {@code setStatus} and {@code close} do nothing, as a dead process writes nothing.
	 */
	public void abandon() {
		this.closed = true;
		this.abandoned = true;
		this.watches.forEach(Subscription::close);
		this.heartbeats.shutdownNow();
		this.deliveries.shutdownNow();
	}

	private void renewAll() {
		for (InMemoryRegistration registration : this.registrations) {
			registration.renew();
		}
	}

	private void ensureOpen() {
		if (this.closed) {
			throw new IllegalStateException("The in-memory backend is closed");
		}
	}

	private static ThreadFactory daemonThreads(String prefix) {
		AtomicInteger count = new AtomicInteger();
		return (task) -> {
			Thread thread = new Thread(task, prefix + "-" + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
	}

	private final class InMemoryRegistration implements Registration {

		private volatile ServiceInstance instance;

		private volatile RegistrationState state = RegistrationState.REGISTERING;

		InMemoryRegistration(ServiceInstance instance) {
			this.instance = instance;
		}

		@Override
		public ServiceInstance instance() {
			return this.instance;
		}

		@Override
		public RegistrationState state() {
			return this.state;
		}

		@Override
		public synchronized void setStatus(InstanceStatus status) {
			if (this.state == RegistrationState.CLOSED) {
				throw Registration.closed(this.instance);
			}
			if (InMemoryBackend.this.abandoned) {
				return;
			}
			this.instance = this.instance.withStatus(status);
			InMemoryBackend.this.registry.put(this.instance, this, InMemoryBackend.this.ttl);
		}

		synchronized void renew() {
			if (this.state == RegistrationState.CLOSED) {
				return;
			}
			if (!InMemoryBackend.this.registry.renew(this.instance, this, InMemoryBackend.this.ttl)) {
				this.state = RegistrationState.LOST;
				InMemoryBackend.this.registry.put(this.instance, this, InMemoryBackend.this.ttl);
				this.state = RegistrationState.REGISTERED;
			}
		}

		/**
		 * Retires this handle, without touching the registry, when a newer registration of
		 * the same instance replaces it.
		 */
		synchronized boolean supersededBy(ServiceInstance newer) {
			if (!this.instance.service().equals(newer.service()) || !this.instance.id().equals(newer.id())) {
				return false;
			}
			this.state = RegistrationState.CLOSED;
			return true;
		}

		@Override
		public synchronized void close() {
			if (this.state == RegistrationState.CLOSED) {
				return;
			}
			this.state = RegistrationState.CLOSED;
			InMemoryBackend.this.registrations.remove(this);
			if (!InMemoryBackend.this.abandoned) {
				InMemoryBackend.this.registry.remove(this.instance, this);
			}
		}

	}

	/**
	 * One watch of this backend: closing it stops deliveries and takes it off the registry.
	 * Idempotent.
	 */
	private final class Subscription implements AutoCloseable {

		private final String service;

		private final WatchDispatcher dispatcher;

		Subscription(String service, WatchDispatcher dispatcher) {
			this.service = service;
			this.dispatcher = dispatcher;
		}

		@Override
		public void close() {
			this.dispatcher.close();
			InMemoryBackend.this.registry.removeWatcher(this.service, this.dispatcher);
			InMemoryBackend.this.watches.remove(this);
		}

	}

}
