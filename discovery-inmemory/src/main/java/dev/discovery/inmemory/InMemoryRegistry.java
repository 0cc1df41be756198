package dev.discovery.inmemory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import dev.discovery.core.ServiceInstance;
import dev.discovery.core.WatchDispatcher;

/**
 * The registry itself, shared by the {@link InMemoryBackend}s that point at it, as a
 * registry server is shared by its clients. It holds one entry per service and instance id,
 * each with an expiry time that its owner renews; a sweeper removes expired entries.
 * Thread-safe.
 * <p>
 * {@link #shared()} is the one registry of the JVM, so that several applications started in
 * one JVM find each other; tests create their own with {@link #InMemoryRegistry()}.
 */
public final class InMemoryRegistry implements AutoCloseable {

	private static final Duration SWEEP_INTERVAL = Duration.ofMillis(100);

	private static final InMemoryRegistry SHARED = new InMemoryRegistry();

	private final Map<String, Map<String, Entry>> services = new ConcurrentHashMap<>();

	private final Map<String, Set<WatchDispatcher>> watchers = new ConcurrentHashMap<>();

	private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor((task) -> {
		Thread thread = new Thread(task, "discovery-inmemory-sweeper");
		thread.setDaemon(true);
		return thread;
	});

	/**
	 * Creates an empty registry with its own expiry sweeper thread.
	 */
	public InMemoryRegistry() {
		long interval = SWEEP_INTERVAL.toMillis();
		this.sweeper.scheduleWithFixedDelay(this::removeExpired, interval, interval, TimeUnit.MILLISECONDS);
	}

	/**
	 * Returns the JVM-wide registry that {@link InMemoryBackend#InMemoryBackend()} uses.
	 * @return the shared registry
	 */
	public static InMemoryRegistry shared() {
		return SHARED;
	}

	/**
	 * Stops the sweeper thread. Entries stay, but no longer expire.
	 */
	@Override
	public void close() {
		this.sweeper.shutdownNow();
	}

	void put(ServiceInstance instance, Object owner, Duration ttl) {
		entries(instance.service()).put(instance.id(), new Entry(instance, owner, expiry(ttl)));
		changed(instance.service());
	}

	boolean renew(ServiceInstance instance, Object owner, Duration ttl) {
		Entry renewed = entries(instance.service()).computeIfPresent(instance.id(),
				(id, entry) -> (entry.owner() == owner) ? new Entry(entry.instance(), owner, expiry(ttl)) : entry);
		return renewed != null;
	}

	void remove(ServiceInstance instance, Object owner) {
		Map<String, Entry> entries = entries(instance.service());
		boolean removed = entries.computeIfPresent(instance.id(), (id, entry) -> (entry.owner() == owner) ? null : entry) == null;
		if (removed) {
			changed(instance.service());
		}
	}

	List<ServiceInstance> instances(String service) {
		Map<String, Entry> entries = this.services.get(service);
		if (entries == null) {
			return List.of();
		}
		return entries.values().stream().map(Entry::instance).toList();
	}

	Set<String> serviceNames() {
		return this.services.entrySet()
			.stream()
			.filter((service) -> !service.getValue().isEmpty())
			.map(Map.Entry::getKey)
			.collect(Collectors.toUnmodifiableSet());
	}

	void addWatcher(String service, WatchDispatcher dispatcher) {
		this.watchers.computeIfAbsent(service, (name) -> new CopyOnWriteArraySet<>()).add(dispatcher);
		dispatcher.signal();
	}

	void removeWatcher(String service, WatchDispatcher dispatcher) {
		Set<WatchDispatcher> dispatchers = this.watchers.get(service);
		if (dispatchers != null) {
			dispatchers.remove(dispatcher);
		}
	}

	private Map<String, Entry> entries(String service) {
		return this.services.computeIfAbsent(service, (name) -> new ConcurrentHashMap<>());
	}

	private void changed(String service) {
		Set<WatchDispatcher> dispatchers = this.watchers.get(service);
		if (dispatchers != null) {
			dispatchers.forEach(WatchDispatcher::signal);
		}
	}

	private void removeExpired() {
		long now = System.nanoTime();
		this.services.forEach((service, entries) -> {
			if (entries.values().removeIf((entry) -> now - entry.expiresAt() > 0)) {
				changed(service);
			}
		});
	}

	private static long expiry(Duration ttl) {
		return System.nanoTime() + ttl.toNanos();
	}

	private record Entry(ServiceInstance instance, Object owner, long expiresAt) {
	}

}
