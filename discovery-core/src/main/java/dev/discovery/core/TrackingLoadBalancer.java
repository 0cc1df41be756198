package dev.discovery.core;

/**
 * A strategy that weighs the load its {@link TrackedCandidates} report. Like every
 * {@link IndexedLoadBalancer} it says which position it picked, so that starting a call finds
 * the pick's {@link CallTarget} without a lookup.
 */
interface TrackingLoadBalancer extends IndexedLoadBalancer {

	/**
	 * Returns whether picks read call latencies, which calls then have to measure.
	 * @return {@code true} if the calls of a service should be timed
	 */
	boolean readsLatency();

}
