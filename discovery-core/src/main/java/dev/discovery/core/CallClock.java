package dev.discovery.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The clock that times one service's calls, remembering its latest reading to the
 * millisecond, so that a pick can use that as the current time without reading the clock:
 * on a busy service it trails the true time by about the time between two calls. It is
 * written at most once a millisecond, so threads that time calls share it without
 * contention.
 */
final class CallClock {

	private static final long GRANULARITY_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

	private static final VarHandle LATEST;

	static {
		try {
			LATEST = MethodHandles.lookup().findVarHandle(CallClock.class, "latest", long.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	private final LongSupplier source;

	private volatile long latest;

	/**
	 * Creates the clock.
	 * @param source the time source, in nanoseconds
	 */
	CallClock(LongSupplier source) {
		this.source = source;
		this.latest = source.getAsLong();
	}

	/**
	 * Reads the time source.
	 * @return the current time in nanoseconds
	 */
	long read() {
		long now = this.source.getAsLong();
		if (now - this.latest >= GRANULARITY_NANOS) {
			LATEST.setRelease(this, now);
		}
		return now;
	}

	/**
	 * Returns the latest reading, within a millisecond, without reading the time source.
	 * @return a time in nanoseconds
	 */
	long latest() {
		return this.latest;
	}

}
