package dev.discovery.core;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Visits the candidates in order, one per pick, with one atomic counter shared by every
 * thread: any {@code n} consecutive picks, from any number of threads, cover all {@code n}
 * candidates, so concurrent requests interleave over the instances instead of arriving at
 * one in runs.
 */
final class RoundRobinLoadBalancer extends CountingLoadBalancer {

	@Override
	public int chooseIndex(List<ServiceInstance> candidates, @Nullable String key) {
		int size = candidates.size();
		if (size == 0) {
			return -1;
		}
		return rotate(size);
	}

}
