package dev.discovery.core;

import java.util.Arrays;
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
 * at any number of calls in flight;</li>
 * <li>{@link Load#PEAK_EWMA}: the peak-EWMA latency (decay 10 s) times (calls in flight
 * + 1). An instance never measured is chosen first while it has no call in flight.</li>
 * </ul>
 * Load comes from {@link ServiceCall}s, which {@link DiscoveryClient} passes along with the
 * candidates; given a plain list, every instance counts as idle and picks follow the
 * weights. Lock-free; allocates only when the candidate list changes.
 */
final class PowerOfTwoChoicesLoadBalancer implements LoadBalancer {

	private static final double UNMEASURED_BUSY_PENALTY = 1e15;

	private final Load load;

	private final Supplier<RandomGenerator> random;

	private volatile @Nullable Weights weights;

	private volatile @Nullable List<ServiceInstance> measured;

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
	public @Nullable ServiceInstance choose(List<ServiceInstance> candidates, @Nullable String key) {
		int size = candidates.size();
		if (size <= 1) {
			return (size == 0) ? null : candidates.get(0);
		}
		Weights current = this.weights;
		if (current == null || current.candidates() != candidates) {
			current = Weights.of(candidates);
			this.weights = current;
		}
		RandomGenerator generator = this.random.get();
		int first = current.draw(generator);
		int second = current.draw(generator);
		if (!(candidates instanceof TrackedCandidates tracked)) {
			return candidates.get(first);
		}
		if (this.load == Load.IN_FLIGHT) {
			return tracked.get(switchToSecond(tracked, first, second, generator) ? second : first);
		}
		long now = tracked.nanoTime();
		if (this.measured != candidates) {
			int unmeasured = firstIdleUnmeasured(tracked, now);
			if (unmeasured >= 0) {
				return tracked.get(unmeasured);
			}
			this.measured = candidates;
		}
		return tracked.get((latencyCost(tracked.stats(second), now) < latencyCost(tracked.stats(first), now)) ? second : first);
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

	private static int firstIdleUnmeasured(TrackedCandidates tracked, long now) {
		for (int i = 0; i < tracked.size(); i++) {
			InstanceStats stats = tracked.stats(i);
			if (stats.latency(now) < 0 && stats.inFlight() == 0) {
				return i;
			}
		}
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
	 * Cumulative weights of one candidate list, or none when all weights are equal.
	 */
	private record Weights(List<ServiceInstance> candidates, long @Nullable [] cumulative) {

		static Weights of(List<ServiceInstance> candidates) {
			int size = candidates.size();
			long[] cumulative = new long[size];
			long total = 0;
			boolean equal = true;
			for (int i = 0; i < size; i++) {
				int weight = candidates.get(i).weight();
				equal &= weight == candidates.get(0).weight();
				total += weight;
				cumulative[i] = total;
			}
			return new Weights(candidates, equal ? null : cumulative);
		}

		int draw(RandomGenerator generator) {
			long[] bounds = this.cumulative;
			if (bounds == null) {
				return generator.nextInt(this.candidates.size());
			}
			int found = Arrays.binarySearch(bounds, generator.nextLong(bounds[bounds.length - 1]) + 1);
			return (found >= 0) ? found : -found - 1;
		}

	}

}
