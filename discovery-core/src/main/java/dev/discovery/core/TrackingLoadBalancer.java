package dev.discovery.core;

import org.jspecify.annotations.Nullable;

/**
 * A strategy that weighs the load its {@link TrackedCandidates} report and says which
 * position it picked, so that starting a call finds the pick's {@link CallTarget} without
 * a lookup.
 */
interface TrackingLoadBalancer extends LoadBalancer {

	/**
	 * Picks one of the candidates, as {@link #choose} would.
	 * @param candidates the instances to choose from, at least one
	 * @param key a request key for strategies that keep affinity, or {@code null}
	 * @return the position of the chosen instance
	 */
	int pick(TrackedCandidates candidates, @Nullable String key);

	/**
	 * Returns whether picks read call latencies, which calls then have to measure.
	 * @return {@code true} if the calls of a service should be timed
	 */
	boolean readsLatency();

}
