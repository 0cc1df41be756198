package dev.discovery.core;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one client knows about the calls to one instance: calls in flight, a peak-EWMA of
 * their latency, failures in a row, and whether the instance is ejected. Counters are
 * lock-free; ejection state is written only under the owning {@link ServiceBalancer}'s
 * monitor and read without it.
 */
final class InstanceStats {

	private static final double DECAY_NANOS = TimeUnit.SECONDS.toNanos(10);

	private static final long UNMEASURED = Double.doubleToRawLongBits(-1);

	private final AtomicInteger inFlight = new AtomicInteger();

	private final AtomicInteger consecutiveFailures = new AtomicInteger();

	private final AtomicLong latency = new AtomicLong(UNMEASURED);

	private volatile long latencyStamp;

	private volatile boolean ejected;

	private volatile long ejectedUntil;

	private int ejections;

	int inFlight() {
		return this.inFlight.get();
	}

	void started() {
		this.inFlight.incrementAndGet();
	}

	void ended() {
		this.inFlight.decrementAndGet();
	}

	/**
	 * Returns the latency estimate, decayed towards zero for the time without samples so
	 * that an instance that became slow is probed again after a while.
	 * @param now the current {@code nanoTime}
	 * @return the estimate in nanoseconds, or a negative number when never measured
	 */
	double latency(long now) {
		double current = Double.longBitsToDouble(this.latency.get());
		if (current <= 0) {
			return current;
		}
		return current * Math.exp(-Math.max(0, now - this.latencyStamp) / DECAY_NANOS);
	}

	/**
	 * Records a successful call: resets the failures in a row and feeds the peak-EWMA,
	 * which jumps to any sample above it and otherwise moves towards the sample with a
	 * weight that decays over 10 s.
	 * @param latencyNanos how long the call took
	 * @param now the current {@code nanoTime}
	 */
	void succeeded(long latencyNanos, long now) {
		this.consecutiveFailures.set(0);
		double sample = Math.max(0, latencyNanos);
		while (true) {
			long bits = this.latency.get();
			double current = Double.longBitsToDouble(bits);
			double next = sample;
			if (current >= 0 && sample < current) {
				double keep = Math.exp(-Math.max(0, now - this.latencyStamp) / DECAY_NANOS);
				next = current * keep + sample * (1 - keep);
			}
			if (this.latency.compareAndSet(bits, Double.doubleToRawLongBits(next))) {
				this.latencyStamp = now;
				return;
			}
		}
	}

	/**
	 * Records a failed call.
	 * @return the failures in a row, this one included
	 */
	int failed() {
		return this.consecutiveFailures.incrementAndGet();
	}

	boolean isEjected(long now) {
		return this.ejected && now - this.ejectedUntil < 0;
	}

	long ejectedUntil() {
		return this.ejectedUntil;
	}

	/**
	 * Ejects the instance; the caller holds the service's monitor.
	 * @param now the current {@code nanoTime}
	 * @param detection the ejection rules
	 */
	void eject(long now, OutlierDetection detection) {
		if (this.ejections > 0 && now - this.ejectedUntil > detection.maxEjectionTime().toNanos()) {
			this.ejections = 0;
		}
		this.ejections++;
		this.consecutiveFailures.set(0);
		this.ejectedUntil = now + detection.ejectionTime(this.ejections).toNanos();
		this.ejected = true;
	}

}
