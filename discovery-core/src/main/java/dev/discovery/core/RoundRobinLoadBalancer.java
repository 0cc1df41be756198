package dev.discovery.core;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Visits the candidates in order, one per pick, counting with a {@link StripedSequence} so
 * that threads on different cores do not contend for one counter. Picks from one thread
 * (while no other thread shares its stripe) visit the candidates in strict rotation: any
 * {@code n} consecutive ones cover all {@code n} candidates. Picks from many threads
 * rotate per stripe, so over any stretch each candidate's count is off the exact share by
 * less than the number of stripes.
 */
final class RoundRobinLoadBalancer implements IndexedLoadBalancer {

	private final StripedSequence next;

	RoundRobinLoadBalancer() {
		this(new StripedSequence());
	}

	/**
	 * Creates a balancer counting with the given sequence, so that tests can fix the stripes.
	 * @param next the sequence of pick numbers
	 */
	RoundRobinLoadBalancer(StripedSequence next) {
		this.next = next;
	}

	@Override
	public int chooseIndex(List<ServiceInstance> candidates, @Nullable String key) {
		int size = candidates.size();
		if (size == 0) {
			return -1;
		}
		return (int) Math.floorMod(this.next.next(), (long) size);
	}

}
