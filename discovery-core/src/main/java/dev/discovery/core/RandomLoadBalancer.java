package dev.discovery.core;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntUnaryOperator;

import org.jspecify.annotations.Nullable;

/**
 * Picks a candidate uniformly at random, from the calling thread's own generator.
 */
final class RandomLoadBalancer implements IndexedLoadBalancer {

	private final IntUnaryOperator nextIndex;

	RandomLoadBalancer() {
		this((bound) -> ThreadLocalRandom.current().nextInt(bound));
	}

	/**
	 * Creates a balancer over a given source of indexes, so that tests can fix the seed.
	 * @param nextIndex returns a uniform index below its argument
	 */
	RandomLoadBalancer(IntUnaryOperator nextIndex) {
		this.nextIndex = nextIndex;
	}

	@Override
	public int chooseIndex(List<ServiceInstance> candidates, @Nullable String key) {
		int size = candidates.size();
		return (size != 0) ? this.nextIndex.applyAsInt(size) : -1;
	}

}
