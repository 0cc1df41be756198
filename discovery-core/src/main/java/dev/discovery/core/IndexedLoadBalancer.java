package dev.discovery.core;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A strategy that can say where in the candidate list its pick is, so that
 * {@link ServiceBalancer} can hand out a choice prepared for that position instead of
 * looking the instance up. It picks exactly as {@link #choose} does.
 */
interface IndexedLoadBalancer extends LoadBalancer {

	/**
	 * Picks one of the candidates and returns its position.
	 * @param candidates the instances to choose from; not modified
	 * @param key a request key for strategies that keep affinity, or {@code null}
	 * @return the index of the chosen candidate, or {@code -1} when there are none
	 */
	int chooseIndex(List<ServiceInstance> candidates, @Nullable String key);

	@Override
	default @Nullable ServiceInstance choose(List<ServiceInstance> candidates, @Nullable String key) {
		int index = chooseIndex(candidates, key);
		return (index >= 0) ? candidates.get(index) : null;
	}

}
