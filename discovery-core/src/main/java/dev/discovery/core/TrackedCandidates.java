package dev.discovery.core;

import java.util.AbstractList;
import java.util.RandomAccess;

/**
 * An immutable candidate list that also carries each instance's {@link InstanceStats}, its
 * {@link CallTarget} and the clock that times the calls, so that strategies which weigh load
 * can read it, and say which position they picked, while {@link LoadBalancer}'s signature
 * stays a plain list. Other strategies see an ordinary list.
 */
final class TrackedCandidates extends AbstractList<ServiceInstance> implements RandomAccess {

	private final ServiceInstance[] instances;

	private final InstanceStats[] stats;

	private final CallTarget[] targets;

	private final CallClock clock;

	TrackedCandidates(CallTarget[] targets, CallClock clock) {
		this.instances = new ServiceInstance[targets.length];
		this.stats = new InstanceStats[targets.length];
		for (int i = 0; i < targets.length; i++) {
			this.instances[i] = targets[i].instance;
			this.stats[i] = targets[i].stats;
		}
		this.targets = targets;
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

	CallTarget target(int index) {
		return this.targets[index];
	}

	/**
	 * Returns the time of the latest call timing, without reading the clock.
	 * @return a time in nanoseconds, within a millisecond of the clock's latest reading
	 */
	long latestTime() {
		return this.clock.latest();
	}

}
