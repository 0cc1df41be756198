package dev.discovery.consul;

import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import dev.discovery.core.ServiceInstance;
import dev.discovery.core.WatchDispatcher;
import org.jspecify.annotations.Nullable;

/**
 * One watch subscription of a service, whichever way it is followed: a {@link ServiceWatch}
 * (a blocking query of its own) or a {@link DetectedWatch} (reads after the change detector
 * saw a change). The {@link WatchPlacement} may move it from one to the other; only lists
 * from the source it follows now are taken, so a late answer of the source it left never
 * replaces a newer list. A list that differs from the last one reaches the listener through
 * a {@link WatchDispatcher}, and the time of that change is kept for the placement.
 * Thread-safe.
 */
final class ConsulWatch implements AutoCloseable {

	private final String service;

	private final WatchDispatcher dispatcher;

	private final LongSupplier clock;

	private volatile List<ServiceInstance> current = List.of();

	private @Nullable Source source;

	private boolean delivered;

	private volatile long lastChange;

	private boolean closed;

	ConsulWatch(String service, Executor deliveries, Consumer<List<ServiceInstance>> listener, LongSupplier clock) {
		this.service = service;
		this.dispatcher = new WatchDispatcher(service, deliveries, () -> this.current, listener);
		this.clock = clock;
		this.lastChange = clock.getAsLong();
	}

	String service() {
		return this.service;
	}

	/** When the list last changed, or the watch started or moved, in the clock's nanoseconds. */
	long lastChange() {
		return this.lastChange;
	}

	/**
	 * Takes a list from a source; ignored unless the watch follows that source now.
	 * @param from the source
	 * @param instances the service's instances, in every status
	 */
	synchronized void offer(Source from, List<ServiceInstance> instances) {
		if (this.closed || from != this.source) {
			return;
		}
		if (!this.delivered || !instances.equals(this.current)) {
			this.current = instances;
			this.delivered = true;
			this.lastChange = this.clock.getAsLong();
			this.dispatcher.signal();
		}
	}

	/**
	 * Follows a new source from now on and closes the one before. The caller starts the new
	 * source after this returns, so its first list is read after the switch.
	 * @param next the new source
	 */
	synchronized void follow(Source next) {
		Source previous = this.source;
		this.source = next;
		this.lastChange = this.clock.getAsLong();
		if (previous != null) {
			previous.close();
		}
	}

	/** Whether the watch follows the given source now. */
	synchronized boolean follows(Source source) {
		return !this.closed && this.source == source;
	}

	/** Stops deliveries and closes the source. Idempotent. */
	@Override
	public synchronized void close() {
		this.closed = true;
		this.dispatcher.close();
		if (this.source != null) {
			this.source.close();
			this.source = null;
		}
	}

	/** A way of following the service that offers its lists to the watch. */
	interface Source extends AutoCloseable {

		/** Starts following; the first list comes from a read made after this call. */
		void start();

		/** Stops following; never throws. */
		@Override
		void close();

	}

}
