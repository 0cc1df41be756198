package dev.discovery.core;

import java.util.AbstractList;
import java.util.RandomAccess;
import java.util.function.LongSupplier;

/**
 * An immutable candidate list that also carries each instance's {@link InstanceStats} and
 * the clock they are measured with, so that strategies which weigh load can read it while
 * {@link LoadBalancer}'s signature stays a plain list. Other strategies see an ordinary list.
 */
final class TrackedCandidates extends AbstractList<ServiceInstance> implements RandomAccess {

	private final ServiceInstance[] instances;

	private final InstanceStats[] stats;

	private final LongSupplier clock;

	TrackedCandidates(ServiceInstance[] instances, InstanceStats[] stats, LongSupplier clock) {
		this.instances = instances;
		this.stats = stats;
		this.clock = clock;
	}

	@Override
	public ServiceInstance get(int index) {
		return this.instances[index];
	}

	@Override
	public int size() {
		return this.instances.length;
	}

	InstanceStats stats(int index) {
		return this.stats[index];
	}

	long nanoTime() {
		return this.clock.getAsLong();
	}

}
