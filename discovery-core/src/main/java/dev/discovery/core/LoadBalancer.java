package dev.discovery.core;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A strategy that picks one instance out of a list of candidates. Implementations are
 * thread-safe, never lock, and allocate nothing per pick; they may keep state between
 * picks (a counter) and may assume that an unchanged candidate list is passed as the same
 * list object.
 */
@FunctionalInterface
public interface LoadBalancer {

	/**
	 * Picks one of the candidates.
	 * @param candidates the instances to choose from; not modified
	 * @param key a request key for strategies that keep affinity, or {@code null}
	 * @return the chosen instance, or {@code null} when there are no candidates
	 */
	@Nullable ServiceInstance choose(List<ServiceInstance> candidates, @Nullable String key);

}
