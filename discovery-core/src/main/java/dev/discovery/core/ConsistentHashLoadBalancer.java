package dev.discovery.core;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

/**
 * Consistent hashing on a ring of virtual nodes: the same key goes to the same instance
 * while the candidates stay the same, and when one of {@code n} instances leaves only the
 * keys it owned, about {@code 1/n}, move. Each instance gets about 160 points on the ring,
 * in proportion to its weight, placed by hashing its id, so the ring does not depend on
 * the order of the list. Requests without a key are spread round-robin.
 * <p>
 * The ring is built once per candidate list (recognised by identity) and then searched
 * with a binary search over a hash of the key computed without allocation.
 */
final class ConsistentHashLoadBalancer implements LoadBalancer {

	private static final int POINTS_PER_INSTANCE = 160;

	private final AtomicInteger next = new AtomicInteger();

	private volatile @Nullable Ring ring;

	@Override
	public @Nullable ServiceInstance choose(List<ServiceInstance> candidates, @Nullable String key) {
		int size = candidates.size();
		if (size == 0) {
			return null;
		}
		if (key == null) {
			return candidates.get(Math.floorMod(this.next.getAndIncrement(), size));
		}
		Ring current = this.ring;
		if (current == null || current.candidates() != candidates) {
			current = Ring.of(candidates);
			this.ring = current;
		}
		return candidates.get(current.owner(hash(key)));
	}

	/**
	 * Hashes characters with 64-bit FNV-1a followed by MurmurHash3's finaliser, which
	 * spreads keys that differ in one character across the whole ring.
	 * @param value the characters
	 * @return the hash
	 */
	static long hash(CharSequence value) {
		long hash = 0xcbf29ce484222325L;
		for (int i = 0; i < value.length(); i++) {
			hash ^= value.charAt(i);
			hash *= 0x100000001b3L;
		}
		hash ^= hash >>> 33;
		hash *= 0xff51afd7ed558ccdL;
		hash ^= hash >>> 33;
		hash *= 0xc4ceb9fe1a85ec53L;
		hash ^= hash >>> 33;
		return hash;
	}

	/**
	 * The sorted points of one candidate list and the index of the instance owning each.
	 */
	private record Ring(List<ServiceInstance> candidates, long[] points, int[] owners) {

		static Ring of(List<ServiceInstance> candidates) {
			int size = candidates.size();
			long totalWeight = 0;
			for (ServiceInstance instance : candidates) {
				totalWeight += instance.weight();
			}
			int[] counts = new int[size];
			int total = 0;
			for (int i = 0; i < size; i++) {
				counts[i] = (int) Math.max(1, Math.round((double) POINTS_PER_INSTANCE * size * candidates.get(i).weight() / totalWeight));
				total += counts[i];
			}
			long[] hashes = new long[total];
			int[] instanceOf = new int[total];
			int point = 0;
			for (int i = 0; i < size; i++) {
				String id = candidates.get(i).id();
				for (int replica = 0; replica < counts[i]; replica++) {
					hashes[point] = hash(id + '#' + replica);
					instanceOf[point] = i;
					point++;
				}
			}
			Integer[] order = new Integer[total];
			Arrays.setAll(order, (index) -> index);
			Arrays.sort(order, Comparator.<Integer>comparingLong((index) -> hashes[index])
				.thenComparing((index) -> candidates.get(instanceOf[index]).id()));
			long[] points = new long[total];
			int[] owners = new int[total];
			for (int i = 0; i < total; i++) {
				points[i] = hashes[order[i]];
				owners[i] = instanceOf[order[i]];
			}
			return new Ring(candidates, points, owners);
		}

		int owner(long hash) {
			int found = Arrays.binarySearch(this.points, hash);
			int index = (found >= 0) ? found : -found - 1;
			return this.owners[(index == this.points.length) ? 0 : index];
		}

	}

}
