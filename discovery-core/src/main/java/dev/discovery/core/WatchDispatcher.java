package dev.discovery.core;

import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers a service's current instance list to one watch listener, for backends. Signals
 * may come from any thread, including a registry client's I/O thread: {@link #signal()}
 * never blocks and never runs the listener itself. Deliveries run on the given executor, one
 * at a time and in order; signals that arrive while a delivery is pending or running are
 * coalesced into one more delivery of the then current list. A listener exception is logged
 * and does not end the watch.
 */
public final class WatchDispatcher implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(WatchDispatcher.class);

	private final String service;

	private final Executor executor;

	private final Supplier<List<ServiceInstance>> current;

	private final Consumer<List<ServiceInstance>> listener;

	private final AtomicInteger pending = new AtomicInteger();

	private volatile boolean closed;

	/**
	 * Creates a dispatcher; nothing is delivered until the first {@link #signal()}.
	 * @param service the watched service, for log messages
	 * @param executor runs deliveries
	 * @param current reads the list to deliver, at delivery time
	 * @param listener the watch listener
	 */
	public WatchDispatcher(String service, Executor executor, Supplier<List<ServiceInstance>> current,
			Consumer<List<ServiceInstance>> listener) {
		this.service = service;
		this.executor = executor;
		this.current = current;
		this.listener = listener;
	}

	/**
	 * Schedules a delivery of the current list, unless one is already scheduled. Never
	 * blocks. Does nothing once closed.
	 */
	public void signal() {
		if (this.closed || this.pending.getAndIncrement() != 0) {
			return;
		}
		try {
			this.executor.execute(this::drain);
		}
		catch (RejectedExecutionException ex) {
			this.pending.set(0);
			if (!this.closed) {
				logger.warn("Could not schedule the delivery of service '{}'", this.service, ex);
			}
		}
	}

	/**
	 * Stops deliveries; a delivery already running completes.
	 */
	@Override
	public void close() {
		this.closed = true;
	}

	private void drain() {
		int seen = this.pending.get();
		while (true) {
			if (this.closed) {
				return;
			}
			deliver();
			seen = this.pending.addAndGet(-seen);
			if (seen == 0) {
				return;
			}
		}
	}

	private void deliver() {
		try {
			this.listener.accept(List.copyOf(this.current.get()));
		}
		catch (RuntimeException ex) {
			logger.warn("Watch listener of service '{}' failed; the watch goes on", this.service, ex);
		}
	}

}
