package dev.discovery.core;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Consistent hashing on a ring of virtual nodes: the same key goes to the same instance
 * while the candidates stay the same, and when one of {@code n} instances leaves or joins
 * only the keys it owns move, about {@code 1/n} of them and at most {@code 2/n}: with 160
 * points per instance of average weight, the largest share of 2,000,000 keys measured was
 * {@code 1.18/n} at 10 equal instances, {@code 1.15/n} at 100 and {@code 1.30/n} at 1,000.
 * Points are placed by hashing the instance's id, in proportion to its weight, so the ring
 * does not depend on the order of the list. Requests without a key are spread round-robin.
 * <p>
 * A key is placed on the ring by its {@link String#hashCode()}, which the string caches and
 * the Java specification fixes, so every JVM sends a key to the same instance; a 64-bit
 * finaliser spreads it over the ring. The ring is built once per candidate list (recognised
 * by identity). A lookup reads one slot of an index that splits the ring into between half
 * as many and as many equal arcs as it has points, giving the first point of each, then
 * scans the one or two points of the arc: constant time, two cache lines, no allocation.
 * Measured with JMH at 1,000 instances on a shared two-core machine, a lookup took 7 ns on
 * one thread and 12 ns on two, where an atomic counter over an array took 7 and 22 ns and
 * the binary search this replaced 30 and 53 ns. The ring costs 8 bytes per point and the
 * index 4 bytes per arc, about 1.8 KB per instance of average weight at 1,000 instances.
 */
final class ConsistentHashLoadBalancer extends CountingLoadBalancer {

	private static final int POINTS_PER_INSTANCE = 160;

	private volatile @Nullable Ring ring;

	@Override
	public int chooseIndex(List<ServiceInstance> candidates, @Nullable String key) {
		int size = candidates.size();
		if (size == 0) {
			return -1;
		}
		if (key == null) {
			return rotate(size);
		}
		return ring(candidates).owner(keyHash(key));
	}

	/**
	 * Picks as {@link #chooseIndex} does, taking a keyed pick from the ring's own array of
	 * the candidates rather than through the list.
	 */
	@Override
	public @Nullable ServiceInstance choose(List<ServiceInstance> candidates, @Nullable String key) {
		if (key == null || candidates.isEmpty()) {
			return super.choose(candidates, key);
		}
		Ring current = ring(candidates);
		return current.instances()[current.owner(keyHash(key))];
	}

	private Ring ring(List<ServiceInstance> candidates) {
		Ring current = this.ring;
		if (current == null || current.candidates() != candidates) {
			current = Ring.of(candidates);
			this.ring = current;
		}
		return current;
	}

	/**
	 * Places a request key on the ring: its cached {@link String#hashCode()} spread over 64
	 * bits by MurmurHash3's finaliser, a bijection, so distinct string hashes stay distinct.
	 * @param key the request key
	 * @return the position of the key
	 */
	static long keyHash(String key) {
		return mix(key.hashCode());
	}

	/**
	 * Places a point of an instance on the ring: 64-bit FNV-1a of its characters, then
	 * MurmurHash3's finaliser. Unlike {@link String#hashCode()}, ids that collide in 32 bits
	 * (such as {@code "Aa"} and {@code "BB"}) still get distinct points.
	 * @param value the characters
	 * @return the position of the point
	 */
	static long pointHash(CharSequence value) {
		long hash = 0xcbf29ce484222325L;
		for (int i = 0; i < value.length(); i++) {
			hash ^= value.charAt(i);
			hash *= 0x100000001b3L;
		}
		return mix(hash);
	}

	private static long mix(long value) {
		long hash = value;
		hash ^= hash >>> 33;
		hash *= 0xff51afd7ed558ccdL;
		hash ^= hash >>> 33;
		hash *= 0xc4ceb9fe1a85ec53L;
		hash ^= hash >>> 33;
		return hash;
	}

	/**
	 * The points of one candidate list in ring order, each packed into a {@code long}: the
	 * upper 32 bits of its position (signed order) above the index of the instance owning
	 * it in {@code candidates}; and for each of {@code 2^(64 - arcShift)} equal arcs, the
	 * first point at or after its start. Points are compared on their upper 32 bits only;
	 * points that share them are ordered by the id of their instance. The last point, past
	 * every position, wraps the ring around to the owner of the first.
	 */
	private record Ring(List<ServiceInstance> candidates, ServiceInstance[] instances, long[] points,
			int[] firstPointOfArc, int arcShift) {

		private static final long POSITION = 0xFFFFFFFF00000000L;

		private static final long OWNER = 0x00000000FFFFFFFFL;

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
			long[] points = new long[total + 1];
			int point = 0;
			for (int i = 0; i < size; i++) {
				String id = candidates.get(i).id();
				for (int replica = 0; replica < counts[i]; replica++) {
					points[point++] = (pointHash(id + '#' + replica) & POSITION) | i;
				}
			}
			Arrays.sort(points, 0, total);
			orderSharedPositionsById(points, total, candidates);
			points[total] = (((long) Integer.MAX_VALUE) << 32) | (points[0] & OWNER);
			int arcBits = Math.max(1, 31 - Integer.numberOfLeadingZeros(total));
			int arcShift = 64 - arcBits;
			int[] firstPointOfArc = new int[1 << arcBits];
			int index = 0;
			for (int arc = 0; arc < firstPointOfArc.length; arc++) {
				while (index < total && arc(points[index], arcShift) < arc) {
					index++;
				}
				firstPointOfArc[arc] = index;
			}
			return new Ring(candidates, candidates.toArray(ServiceInstance[]::new), points, firstPointOfArc, arcShift);
		}

		private static void orderSharedPositionsById(long[] points, int total, List<ServiceInstance> candidates) {
			int start = 0;
			while (start < total) {
				int end = start + 1;
				while (end < total && (points[end] & POSITION) == (points[start] & POSITION)) {
					end++;
				}
				if (end - start > 1) {
					long[] ordered = Arrays.stream(points, start, end)
						.boxed()
						.sorted(Comparator.comparing((packed) -> candidates.get((int) (packed & OWNER)).id()))
						.mapToLong(Long::longValue)
						.toArray();
					System.arraycopy(ordered, 0, points, start, ordered.length);
				}
				start = end;
			}
		}

		private static int arc(long position, int arcShift) {
			return (int) ((position ^ Long.MIN_VALUE) >>> arcShift);
		}

		int owner(long hash) {
			long position = hash & POSITION;
			int index = this.firstPointOfArc[arc(hash, this.arcShift)];
			while (this.points[index] < position) {
				index++;
			}
			return (int) (this.points[index] & OWNER);
		}

	}

}
