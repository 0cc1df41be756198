package dev.discovery.samples.demo;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import dev.discovery.core.DiscoveryBackend;
import dev.discovery.core.DiscoveryClient;
import dev.discovery.core.ServiceInstance;
import org.awaitility.Awaitility;

/**
 * The test's own view of one service in the registry, kept by a watch of the registry
 * server: it notes the {@link System#nanoTime()} at which each instance was first seen
 * {@code UP}, and at which an instance seen {@code UP} stopped being so (drained, expired or
 * deregistered). That is when a change became visible to any watcher of the registry.
 */
final class RegistryWatch implements AutoCloseable {

	private final DiscoveryBackend backend;

	private final DiscoveryClient client;

	private final String service;

	private final Map<String, Long> upSince = new ConcurrentHashMap<>();

	private final Map<String, Long> upUntil = new ConcurrentHashMap<>();

	private final AutoCloseable subscription;

	/**
	 * Starts watching.
	 * @param backend a backend on the test's registry server; closed with this watch
	 * @param service the service to watch
	 */
	RegistryWatch(DiscoveryBackend backend, String service) {
		this.backend = backend;
		this.client = new DiscoveryClient(backend);
		this.service = service;
		this.subscription = this.client.addListener(service, (event) -> look());
		look();
	}

	/**
	 * Waits until an instance is {@code UP} in the registry.
	 * @param id the instance id
	 * @param deadline how long to wait at most
	 * @return when it was first seen {@code UP}
	 */
	long awaitUp(String id, Duration deadline) {
		return awaitTime(this.upSince, id, "UP", deadline);
	}

	/**
	 * Waits until an instance that was {@code UP} no longer is.
	 * @param id the instance id
	 * @param deadline how long to wait at most
	 * @return when it was first seen no longer {@code UP}
	 */
	long awaitNotUp(String id, Duration deadline) {
		return awaitTime(this.upUntil, id, "no longer UP", deadline);
	}

	private static long awaitTime(Map<String, Long> times, String id, String state, Duration deadline) {
		Awaitility.await("instance " + id + " " + state + " in the registry")
			.atMost(deadline)
			.pollInterval(Duration.ofMillis(20))
			.until(() -> times.containsKey(id));
		return times.get(id);
	}

	private synchronized void look() {
		long now = System.nanoTime();
		Set<String> up = this.client.getInstances(this.service)
			.stream()
			.map(ServiceInstance::id)
			.collect(Collectors.toSet());
		up.forEach((id) -> this.upSince.putIfAbsent(id, now));
		this.upSince.keySet()
			.stream()
			.filter((id) -> !up.contains(id))
			.forEach((id) -> this.upUntil.putIfAbsent(id, now));
	}

	@Override
	public void close() throws Exception {
		this.subscription.close();
		this.client.close();
		this.backend.close();
	}

}
