package dev.discovery.etcd;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Starts watches on the scheduler. Watches asked for while a {@link Burst} goes on are held
 * until it pauses, for {@link #MAX_DELAY} at most, so that the lookups of the burst do not
 * wait for the processor behind the watches they open (each watch is a gRPC stream that
 * both this process and etcd set up). A watch that starts late misses nothing: it follows
 * on from the revision of its read, or reads first. Thread-safe; never blocks.
 */
final class WatchStarts implements AutoCloseable {

	/** The longest a watch start is held. */
	static final Duration MAX_DELAY = Duration.ofMillis(500);

	private final Burst burst;

	private final ScheduledExecutorService scheduler;

	private final List<Runnable> held = new ArrayList<>();

	private long heldSince;

	private boolean checkScheduled;

	/**
	 * Creates the watch starts of a backend.
	 * @param burst tells whether a burst of first lookups goes on
	 * @param scheduler runs the starts
	 */
	WatchStarts(Burst burst, ScheduledExecutorService scheduler) {
		this.burst = burst;
		this.scheduler = scheduler;
	}

	/**
	 * Runs a watch start on the scheduler: now, or once the burst that goes on pauses.
	 * Starts run in the order they were asked for.
	 * @param start the start
	 */
	synchronized void start(Runnable start) {
		long now = System.nanoTime();
		if (this.held.isEmpty() && !this.burst.goesOn(now)) {
			this.scheduler.execute(start);
			return;
		}
		if (this.held.isEmpty()) {
			this.heldSince = now;
		}
		this.held.add(start);
		scheduleCheck();
	}

	/**
	 * Drops the starts held. Idempotent.
	 */
	@Override
	public synchronized void close() {
		this.held.clear();
	}

	private synchronized void check() {
		this.checkScheduled = false;
		long now = System.nanoTime();
		if (this.held.isEmpty()) {
			return;
		}
		if (this.burst.goesOn(now) && now - this.heldSince < MAX_DELAY.toNanos()) {
			scheduleCheck();
			return;
		}
		this.held.forEach(this.scheduler::execute);
		this.held.clear();
	}

	private void scheduleCheck() {
		if (!this.checkScheduled) {
			this.checkScheduled = true;
			this.scheduler.schedule(this::check, Burst.GAP.toNanos(), TimeUnit.NANOSECONDS);
		}
	}

}
