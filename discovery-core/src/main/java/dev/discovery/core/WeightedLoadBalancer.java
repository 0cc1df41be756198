package dev.discovery.core;

import java.util.Arrays;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Smooth weighted round-robin, as nginx does it: over every cycle of
 * {@code sum(weights)} picks each candidate is chosen exactly {@code weight} times, spread
 * out rather than in bursts.
 * <p>
 * The plan for one cycle is made once per candidate list (recognised by identity, so the
 * unchanged snapshot that {@link DiscoveryClient} passes costs nothing) and then walked with
 * one atomic counter shared by every thread, which keeps picks free of locks and allocation
 * and makes consecutive picks from any threads follow the cycle exactly.
 * <p>
 * Weights are first divided by their greatest common divisor. When computing nginx's exact
 * order would take too long ({@code instances × sum(weights) > 50 000 000}), the cycle
 * instead visits the weight positions in a scattered order (a stride coprime with the cycle
 * length, near its golden section) and maps each to its instance by binary search: still
 * exactly {@code weight} picks per cycle each, still spread out, but not nginx's exact order.
 * An exact order is held twice, as positions for the client, which prepares a choice per
 * position, and as instances for a pick on a plain list: 8 bytes per step with compressed
 * references, at most about 1.8 MB (223 instances of weights up to 1000).
 */
final class WeightedLoadBalancer extends CountingLoadBalancer {

	private static final long MAX_EXACT_WORK = 50_000_000L;

	private static final double GOLDEN_SECTION = 0.6180339887498949;

	private volatile @Nullable Plan plan;

	@Override
	public int chooseIndex(List<ServiceInstance> candidates, @Nullable String key) {
		if (candidates.isEmpty()) {
			return -1;
		}
		Plan current = plan(candidates);
		int[] order = current.order();
		return (order != null) ? order[rotate(order.length)] : current.scattered(countPick());
	}

	/**
	 * Picks as {@link #chooseIndex} does, taking the instance from the cycle's own array
	 * rather than looking its position up in the list: one dependent load less per pick.
	 */
	@Override
	public @Nullable ServiceInstance choose(List<ServiceInstance> candidates, @Nullable String key) {
		if (candidates.isEmpty()) {
			return null;
		}
		Plan current = plan(candidates);
		ServiceInstance[] sequence = current.sequence();
		return (sequence != null) ? sequence[rotate(sequence.length)] : candidates.get(current.scattered(countPick()));
	}

	private Plan plan(List<ServiceInstance> candidates) {
		Plan current = this.plan;
		if (current == null || current.candidates() != candidates) {
			current = Plan.of(candidates);
			this.plan = current;
		}
		return current;
	}

	/**
	 * One cycle of picks for one candidate list: either nginx's exact order, as positions
	 * and as the instances at them, or cumulative weights walked with a scattering stride.
	 * Each array a pick reads is loaded before the pick's atomic add on the counter, which
	 * orders every load after it.
	 */
	private record Plan(List<ServiceInstance> candidates, int @Nullable [] order,
			ServiceInstance @Nullable [] sequence, long[] cumulative, long stride) {

		static Plan of(List<ServiceInstance> candidates) {
			int n = candidates.size();
			int[] weights = new int[n];
			int divisor = 0;
			for (int i = 0; i < n; i++) {
				weights[i] = candidates.get(i).weight();
				divisor = (int) gcd(divisor, weights[i]);
			}
			long[] cumulative = new long[n];
			long total = 0;
			for (int i = 0; i < n; i++) {
				weights[i] /= divisor;
				total += weights[i];
				cumulative[i] = total;
			}
			if (total * n <= MAX_EXACT_WORK) {
				int[] order = nginxOrder(weights, (int) total);
				ServiceInstance[] sequence = new ServiceInstance[order.length];
				for (int step = 0; step < order.length; step++) {
					sequence[step] = candidates.get(order[step]);
				}
				return new Plan(candidates, order, sequence, cumulative, 1);
			}
			long stride = Math.max(1, (long) (total * GOLDEN_SECTION));
			while (gcd(stride, total) != 1) {
				stride++;
			}
			return new Plan(candidates, null, null, cumulative, stride);
		}

		/**
		 * Maps a count of picks to a position when the cycle is too long to hold in order.
		 */
		int scattered(long counter) {
			long total = this.cumulative[this.cumulative.length - 1];
			long position = Math.floorMod(counter, total) * this.stride % total;
			int found = Arrays.binarySearch(this.cumulative, position + 1);
			return (found >= 0) ? found : -found - 1;
		}

		private static int[] nginxOrder(int[] weights, int total) {
			int[] order = new int[total];
			long[] current = new long[weights.length];
			for (int step = 0; step < total; step++) {
				int best = -1;
				for (int i = 0; i < weights.length; i++) {
					current[i] += weights[i];
					if (best < 0 || current[i] > current[best]) {
						best = i;
					}
				}
				order[step] = best;
				current[best] -= total;
			}
			return order;
		}

		private static long gcd(long a, long b) {
			return (b == 0) ? a : gcd(b, a % b);
		}

	}

}
