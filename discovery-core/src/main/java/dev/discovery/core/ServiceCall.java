package dev.discovery.core;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

import org.jspecify.annotations.Nullable;

/**
 * One attempt of a call to a chosen instance, from {@link DiscoveryClient#startCall}. While
 * open it counts as a call in flight for the {@code least-requests} and {@code latency}
 * strategies. Ending it with {@link #succeeded()} feeds its latency to the {@code latency}
 * strategy; with {@link #failed()} it counts towards ejecting the instance;
 * {@link #close()} ends it without an outcome. Only the first of these counts; the others do
 * nothing. Thread-safe; a handle is one small object and ending it allocates nothing.
 */
public final class ServiceCall implements AutoCloseable {

	private static final AtomicIntegerFieldUpdater<ServiceCall> ENDED = AtomicIntegerFieldUpdater
		.newUpdater(ServiceCall.class, "ended");

	private final ServiceBalancer balancer;

	private final ServiceInstance instance;

	private final InstanceStats stats;

	private final @Nullable String key;

	private final @Nullable ServiceCall previous;

	private final int attempt;

	private final long started;

	private volatile int ended;

	ServiceCall(ServiceBalancer balancer, ServiceInstance instance, InstanceStats stats, @Nullable String key,
			@Nullable ServiceCall previous, long started) {
		this.balancer = balancer;
		this.instance = instance;
		this.stats = stats;
		this.key = key;
		this.previous = previous;
		this.attempt = (previous != null) ? previous.attempt + 1 : 0;
		this.started = started;
		stats.started();
	}

	/**
	 * Returns the instance to call.
	 * @return the chosen instance
	 */
	public ServiceInstance instance() {
		return this.instance;
	}

	/**
	 * Returns which attempt of the call this is.
	 * @return 0 for the first attempt, 1 for the first retry, and so on
	 */
	public int attempt() {
		return this.attempt;
	}

	/**
	 * Ends the attempt as a success, measuring its latency from when it was started.
	 */
	public void succeeded() {
		if (end()) {
			long now = this.balancer.nanoTime();
			this.stats.succeeded(now - this.started, now);
		}
	}

	/**
	 * Ends the attempt as a failure of the instance (it could not be reached, or answered
	 * with a server error), which may eject it.
	 */
	public void failed() {
		if (end()) {
			this.balancer.failed(this.stats);
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
		Retries retries = this.balancer.retries();
		return (this.attempt < retries.maxRetries()) ? retries.backoff().delay(this.attempt) : null;
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
		return (this.attempt < this.balancer.retries().maxRetries()) ? this.balancer.retry(this) : null;
	}

	@Nullable String key() {
		return this.key;
	}

	boolean tried(ServiceInstance candidate) {
		for (ServiceCall call = this; call != null; call = call.previous) {
			if (call.instance.id().equals(candidate.id())) {
				return true;
			}
		}
		return false;
	}

	private boolean end() {
		if (ENDED.compareAndSet(this, 0, 1)) {
			this.stats.ended();
			return true;
		}
		return false;
	}

}
