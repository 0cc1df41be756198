package dev.discovery.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * One attempt of a call to a chosen instance, from {@link DiscoveryClient#startCall}. While
 * open it counts as a call in flight for the {@code least-requests} and {@code latency}
 * strategies. Ending it with {@link #succeeded()} feeds its latency to the {@code latency}
 * strategy, which times the first call to an instance and then one call in 8 to it, as
 * reading the clock costs more than the rest of a call; with {@link #failed()} it counts towards ejecting the instance;
 * {@link #close()} ends it without an outcome. Only the first of these counts; the others do
 * nothing. Thread-safe. A first attempt without a request key is one object of 24 bytes
 * (with compressed references) and ending it allocates nothing.
 */
public final class ServiceCall implements AutoCloseable {

	private static final long ENDED = 1;

	private static final long TIMED = 2;

	private static final VarHandle STATE;

	static {
		try {
			STATE = MethodHandles.lookup().findVarHandle(ServiceCall.class, "state", long.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	private final CallTarget target;

	/**
	 * When the attempt started, shifted left by two, with {@link #TIMED} set when it is
	 * timed and {@link #ENDED} once it ended: one field for all, so that the handle stays
	 * small. Shifting drops the clock's top bits, which differences modulo 2^62 do not need.
	 * Written through {@link #STATE}: a release when started, so that starting costs no
	 * fence, and a compare-and-set when ended.
	 */
	private long state;

	/**
	 * Creates the handle of an attempt counted in flight already.
	 * @param target where the attempt goes
	 * @param timed whether the attempt's latency is measured
	 * @param started its start time when timed
	 */
	ServiceCall(CallTarget target, boolean timed, long started) {
		this.target = target;
		STATE.setRelease(this, timed ? (started << 2) | TIMED : 0);
	}

	/**
	 * Returns the instance to call.
	 * @return the chosen instance
	 */
	public ServiceInstance instance() {
		return this.target.instance;
	}

	/**
	 * Returns which attempt of the call this is.
	 * @return 0 for the first attempt, 1 for the first retry, and so on
	 */
	public int attempt() {
		return this.target.attempt();
	}

	/**
	 * Ends the attempt as a success, measuring its latency from when it was started if the
	 * attempt is timed.
	 */
	public void succeeded() {
		if (end()) {
			this.target.balancer.succeeded(this.target.stats, this);
		}
	}

	/**
	 * Ends the attempt as a failure of the instance (it could not be reached, or answered
	 * with a server error), which may eject it.
	 */
	public void failed() {
		if (end()) {
			this.target.balancer.failed(this.target.stats);
		}
	}

	/**
	 * Ends the attempt without an outcome, for example when the caller gave up. Idempotent.
	 */
	@Override
	public void close() {
		end();
	}

	/**
	 * Waits the back-off of the service's {@link Retries} and starts the next attempt on an
	 * instance this call has not tried yet. Ends this attempt without an outcome if it was
	 * still open.
	 * @return the next attempt, or {@code null} without waiting when the retries are used
	 * up, or after waiting when every candidate was tried
	 * @throws InterruptedException if interrupted while waiting
	 */
	public @Nullable ServiceCall retry() throws InterruptedException {
		Duration delay = retryDelay();
		if (delay == null) {
			return null;
		}
		TimeUnit.NANOSECONDS.sleep(delay.toNanos());
		return retryNow();
	}

	/**
	 * Returns how long to wait before {@link #retryNow()}, for callers that must not block
	 * a thread while backing off. Ends this attempt without an outcome if it was still open.
	 * @return the back-off of the service's {@link Retries} for this attempt, or
	 * {@code null} when the retries are used up
	 */
	public @Nullable Duration retryDelay() {
		close();
		Retries retries = this.target.balancer.retries();
		return (attempt() < retries.maxRetries()) ? retries.backoff().delay(attempt()) : null;
	}

	/**
	 * Starts the next attempt at once on an instance this call has not tried yet; the
	 * caller has waited {@link #retryDelay()} already. Ends this attempt without an outcome
	 * if it was still open.
	 * @return the next attempt, or {@code null} when the retries are used up or every
	 * candidate was tried
	 */
	public @Nullable ServiceCall retryNow() {
		close();
		ServiceBalancer balancer = this.target.balancer;
		return (attempt() < balancer.retries().maxRetries()) ? balancer.retry(this) : null;
	}

	@Nullable String key() {
		return this.target.key();
	}

	boolean tried(ServiceInstance candidate) {
		for (ServiceCall call = this; call != null; call = call.target.previous()) {
			if (call.target.instance.id().equals(candidate.id())) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Returns whether the attempt's latency is measured.
	 * @return {@code true} if it has a start time
	 */
	boolean timed() {
		return ((long) STATE.getAcquire(this) & TIMED) != 0;
	}

	/**
	 * Returns how long ago a timed attempt started.
	 * @param now a reading of the clock that gave its start time
	 * @return the elapsed nanoseconds
	 */
	long elapsed(long now) {
		return ((now << 2) - ((long) STATE.getAcquire(this) & ~(TIMED | ENDED))) >> 2;
	}

	/**
	 * Ends the attempt unless it ended before, and stops counting it in flight.
	 * @return whether this ended it
	 */
	private boolean end() {
		long current = (long) STATE.getAcquire(this);
		if ((current & ENDED) != 0 || !STATE.compareAndSet(this, current, current | ENDED)) {
			return false;
		}
		this.target.stats.ended();
		return true;
	}

}
