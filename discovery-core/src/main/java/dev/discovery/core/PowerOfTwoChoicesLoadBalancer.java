package dev.discovery.core;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

import org.jspecify.annotations.Nullable;

/**
 * Power of two choices: draws two candidates with probability proportional to their weight
 * and keeps the less loaded one, so that over time each instance gets its weight's share
 * of the traffic unless it is busier or slower than the others. Two measures of load:
 * <ul>
 * <li>{@link Load#IN_FLIGHT}: calls in flight divided by weight. The second draw replaces the
 * first with a probability equal to the difference, capped at 1, so that an idle service is
 * balanced exactly by weight and a service of identical instances gets each weight's share
 * at any number of calls in flight. A first draw without calls in flight is never replaced,
 * so the second is drawn, and its count read, only when the first is busy: on two cores that
 * spares reading a count the other core may have just written;</li>
 * <li>{@link Load#PEAK_EWMA}: the peak-EWMA latency (decay 10 s) times (calls in flight
 * + 1). An instance never measured is chosen first while it has no call in flight. A pick
 * reads no clock: it decays estimates older than 100 ms to the time the service's calls were
 * last timed (see {@link InstanceStats}).</li>
 * </ul>
 * Load comes from {@link ServiceCall}s, which {@link DiscoveryClient} passes along with the
 * candidates; given a plain list, every instance counts as idle and a pick is one weighted
 * draw. Draws take constant time (see {@link WeightedDraw}). Lock-free; allocates only when
 * the candidate list changes.
 */
final class PowerOfTwoChoicesLoadBalancer implements TrackingLoadBalancer {

	private static final double UNMEASURED_BUSY_PENALTY = 1e15;

	private final Load load;

	private final Supplier<RandomGenerator> random;

	private volatile @Nullable Draws draws;

	private volatile @Nullable Unmeasured unmeasured;

	PowerOfTwoChoicesLoadBalancer(Load load) {
		this(load, ThreadLocalRandom::current);
	}

	/**
	 * Creates a balancer over a given source of randomness, so that tests can fix the seed.
	 * @param load how load is measured
	 * @param random supplies the generator for the calling thread
	 */
	PowerOfTwoChoicesLoadBalancer(Load load, Supplier<RandomGenerator> random) {
		this.load = load;
		this.random = random;
	}

	@Override
	public int chooseIndex(List<ServiceInstance> candidates, @Nullable String key) {
		int size = candidates.size();
		if (size <= 1) {
			return size - 1;
		}
		if (candidates instanceof TrackedCandidates tracked) {
			return pick(tracked);
		}
		return draws(candidates).next(this.random.get());
	}

	private int pick(TrackedCandidates candidates) {
		WeightedDraw draw = draws(candidates);
		RandomGenerator generator = this.random.get();
		int first = draw.next(generator);
		if (this.load == Load.IN_FLIGHT) {
			if (candidates.stats(first).inFlight() == 0) {
				return first;
			}
			int second = draw.next(generator);
			return switchToSecond(candidates, first, second, generator) ? second : first;
		}
		int second = draw.next(generator);
		int untried = idleUnmeasured(candidates);
		if (untried >= 0) {
			return untried;
		}
		long now = candidates.latestTime();
		return (latencyCost(candidates.stats(second), now) < latencyCost(candidates.stats(first), now)) ? second
				: first;
	}

	@Override
	public boolean readsLatency() {
		return this.load == Load.PEAK_EWMA;
	}

	private WeightedDraw draws(List<ServiceInstance> candidates) {
		Draws current = this.draws;
		if (current == null || current.candidates() != candidates) {
			current = new Draws(candidates, WeightedDraw.of(candidates));
			this.draws = current;
		}
		return current.draw();
	}

	/**
	 * Decides for the second draw with a probability equal to how many more calls per unit
	 * of weight the first draw carries, capped at 1. A whole call's difference always
	 * decides, which is plain power of two choices when weights are equal; a fraction of one
	 * decides that often. Comparing fractions strictly instead would favour light instances
	 * whenever few calls are in flight, since one call is a large share of a small weight.
	 */
	private static boolean switchToSecond(TrackedCandidates tracked, int first, int second, RandomGenerator generator) {
		int firstWeight = tracked.get(first).weight();
		int secondWeight = tracked.get(second).weight();
		long excess = (long) tracked.stats(first).inFlight() * secondWeight
				- (long) tracked.stats(second).inFlight() * firstWeight;
		if (excess <= 0) {
			return false;
		}
		long scale = (long) firstWeight * secondWeight;
		return excess >= scale || generator.nextLong(scale) < excess;
	}

	/**
	 * Finds the first instance never measured and without a call in flight. Instances once
	 * measured stay measured, so a scan starts after those at the front of the list; once a
	 * scan finds none, the list is done with, since an idle unmeasured instance left (its
	 * call ended without an outcome) still costs nothing when compared.
	 */
	private int idleUnmeasured(TrackedCandidates tracked) {
		Unmeasured scan = this.unmeasured;
		if (scan == null || scan.candidates != tracked) {
			scan = new Unmeasured(tracked);
			this.unmeasured = scan;
		}
		int size = tracked.size();
		int from = scan.from;
		if (from == size) {
			return -1;
		}
		int measuredFront = from;
		for (int i = from; i < size; i++) {
			InstanceStats stats = tracked.stats(i);
			if (stats.measured()) {
				measuredFront += (measuredFront == i) ? 1 : 0;
			}
			else if (stats.inFlight() == 0) {
				scan.from = measuredFront;
				return i;
			}
		}
		scan.from = size;
		return -1;
	}

	private static double latencyCost(InstanceStats stats, long now) {
		double latency = stats.latency(now);
		int inFlight = stats.inFlight();
		if (latency < 0) {
			return UNMEASURED_BUSY_PENALTY * inFlight;
		}
		return latency * (inFlight + 1);
	}

	/**
	 * The measures of load.
	 */
	enum Load {

		/** Calls in flight per unit of weight. */
		IN_FLIGHT,

		/** Peak-EWMA latency times (calls in flight + 1). */
		PEAK_EWMA

	}

	/**
	 * The weighted draw of one candidate list.
	 */
	private record Draws(List<ServiceInstance> candidates, WeightedDraw draw) {
	}

	/**
	 * Where the scan for unmeasured instances of one candidate list starts: every instance
	 * before {@code from} is measured, or all are done with when it is the list's size.
	 * Threads may race on it; a lost update only makes a later scan start earlier.
	 */
	private static final class Unmeasured {

		private final TrackedCandidates candidates;

		private volatile int from;

		Unmeasured(TrackedCandidates candidates) {
			this.candidates = candidates;
		}

	}

}
