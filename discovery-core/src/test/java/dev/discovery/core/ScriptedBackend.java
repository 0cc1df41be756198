package dev.discovery.core;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A backend whose answers the test sets, delivering watch lists synchronously.
 */
final class ScriptedBackend implements DiscoveryBackend {

	final Map<String, List<ServiceInstance>> lists = new ConcurrentHashMap<>();

	final Map<String, Consumer<List<ServiceInstance>>> watchers = new ConcurrentHashMap<>();

	final AtomicInteger fetches = new AtomicInteger();

	volatile boolean reachable = true;

	void set(String service, List<ServiceInstance> instances) {
		this.lists.put(service, instances);
	}

	void deliver(String service, List<ServiceInstance> instances) {
		set(service, instances);
		this.watchers.get(service).accept(instances);
	}

	@Override
	public Registration register(ServiceInstance instance) {
		throw new IllegalStateException("not used by these tests");
	}

	@Override
	public List<ServiceInstance> instances(String service) {
		if (!this.reachable) {
			throw new DiscoveryException("registry unreachable");
		}
		this.fetches.incrementAndGet();
		return this.lists.getOrDefault(service, List.of());
	}

	@Override
	public Set<String> services() {
		return this.lists.keySet();
	}

	@Override
	public AutoCloseable watch(String service, Consumer<List<ServiceInstance>> listener) {
		this.watchers.put(service, listener);
		return () -> this.watchers.remove(service);
	}

	@Override
	public BackendHealth health() {
		return this.reachable ? BackendHealth.reachable("scripted", Map.of())
				: BackendHealth.unreachable("scripted", "down", Map.of());
	}

	@Override
	public void close() {
	}

}
