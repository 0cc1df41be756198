package dev.discovery.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;

/**
 * What one client knows about the calls to one instance: calls in flight, a peak-EWMA of
 * their latency, failures in a row, and whether the instance is ejected. The counters are
 * plain fields of this one object, changed lock-free; ejection state is written only under
 * the owning {@link ServiceBalancer}'s monitor and read without it.
 * <p>
 * The estimate decays with the time without samples, {@code exp(-elapsed / 10 s)}, computed
 * as {@code 1 / (1 + x + x²/2 + x³/6)} for {@code x = elapsed / 10 s}: like the exponential
 * it is 1 at 0 and falls steadily to 0, within 0.03 of it everywhere, for a few
 * multiplications and one division instead of {@code Math.exp}.
 */
final class InstanceStats {

	private static final double DECAY_NANOS = TimeUnit.SECONDS.toNanos(10);

	/** Below this age an estimate is read as it is: decay would take off less than 1 %. */
	private static final long FRESH_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

	private static final long UNMEASURED = Double.doubleToRawLongBits(-1);

	/** What {@link #started()} adds to {@link #calls}: one call started, one in flight. */
	private static final long ONE_STARTED_ONE_IN_FLIGHT = (1L << 32) + 1;

	private static final VarHandle CALLS;

	private static final VarHandle CONSECUTIVE_FAILURES;

	private static final VarHandle LATENCY;

	private static final VarHandle LATENCY_STAMP;

	static {
		try {
			MethodHandles.Lookup lookup = MethodHandles.lookup();
			CALLS = lookup.findVarHandle(InstanceStats.class, "calls", long.class);
			CONSECUTIVE_FAILURES = lookup.findVarHandle(InstanceStats.class, "consecutiveFailures", int.class);
			LATENCY = lookup.findVarHandle(InstanceStats.class, "latency", long.class);
			LATENCY_STAMP = lookup.findVarHandle(InstanceStats.class, "latencyStamp", long.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	/**
	 * The calls started, modulo 2^32, in the high 32 bits and the calls in flight in the low
	 * 32 bits, so that starting a call counts both with one atomic add.
	 */
	private volatile long calls;

	private volatile int consecutiveFailures;

	/** The estimate in nanoseconds as {@code double} bits, negative while never measured. */
	private volatile long latency = UNMEASURED;

	private volatile long latencyStamp;

	private volatile boolean ejected;

	private volatile long ejectedUntil;

	private int ejections;

	int inFlight() {
		return (int) this.calls;
	}

	/**
	 * Counts a call started and in flight.
	 * @return how many calls were started before this one, modulo 2^32
	 */
	int started() {
		return (int) ((long) CALLS.getAndAdd(this, ONE_STARTED_ONE_IN_FLIGHT) >>> 32);
	}

	void ended() {
		CALLS.getAndAdd(this, -1L);
	}

	/**
	 * Returns whether a call's latency was ever recorded.
	 * @return {@code true} once {@link #succeeded(long, long)} was called
	 */
	boolean measured() {
		return this.latency != UNMEASURED;
	}

	/**
	 * Returns the latency estimate, decayed for the time since its last sample so that an
	 * instance that became slow is probed again after a while. An estimate younger than
	 * 100 ms is returned as it is.
	 * @param now the current {@code nanoTime}, or an approximation of it
	 * @return the estimate in nanoseconds, or a negative number when never measured
	 */
	double latency(long now) {
		double current = Double.longBitsToDouble(this.latency);
		long age = now - this.latencyStamp;
		if (current <= 0 || age < FRESH_NANOS) {
			return current;
		}
		return current * decay(age);
	}

	/**
	 * Records a successful call without its latency: resets the failures in a row.
	 */
	void succeeded() {
		if (this.consecutiveFailures != 0) {
			this.consecutiveFailures = 0;
		}
	}

	/**
	 * Records a successful call: resets the failures in a row and feeds the peak-EWMA,
	 * which jumps to any sample above it and otherwise moves towards the sample with a
	 * weight that decays over 10 s.
	 * @param latencyNanos how long the call took
	 * @param now the current {@code nanoTime}
	 */
	void succeeded(long latencyNanos, long now) {
		succeeded();
		double sample = Math.max(0, latencyNanos);
		while (true) {
			long bits = this.latency;
			double current = Double.longBitsToDouble(bits);
			double next = sample;
			if (current >= 0 && sample < current) {
				double keep = decay(now - this.latencyStamp);
				next = current * keep + sample * (1 - keep);
			}
			if (LATENCY.compareAndSet(this, bits, Double.doubleToRawLongBits(next))) {
				LATENCY_STAMP.setRelease(this, now);
				return;
			}
		}
	}

	/**
	 * Records a failed call.
	 * @return the failures in a row, this one included
	 */
	int failed() {
		return (int) CONSECUTIVE_FAILURES.getAndAdd(this, 1) + 1;
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
		this.consecutiveFailures = 0;
		this.ejectedUntil = now + detection.ejectionTime(this.ejections).toNanos();
		this.ejected = true;
	}

	/**
	 * Approximates {@code exp(-elapsed / 10 s)}, as the class comment says.
	 */
	private static double decay(long elapsedNanos) {
		double x = Math.max(0, elapsedNanos) / DECAY_NANOS;
		return 1 / (1 + x * (1 + x * (0.5 + x / 6)));
	}

}
