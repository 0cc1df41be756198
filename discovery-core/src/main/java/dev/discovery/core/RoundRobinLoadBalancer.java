package dev.discovery.core;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

/**
 * Visits the candidates in order, one per pick, with one atomic counter: any
 * {@code n} consecutive picks from any number of threads cover all {@code n} candidates.
 */
final class RoundRobinLoadBalancer implements LoadBalancer {

	private final AtomicInteger next = new AtomicInteger();

	@Override
	public @Nullable ServiceInstance choose(List<ServiceInstance> candidates, @Nullable String key) {
		int size = candidates.size();
		if (size == 0) {
			return null;
		}
		return candidates.get(Math.floorMod(this.next.getAndIncrement(), size));
	}

}
