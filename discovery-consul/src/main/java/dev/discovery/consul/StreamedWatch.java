package dev.discovery.consul;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows one service with blocking queries on its health endpoint, each an HTTP/2 stream
 * of a {@link MultiplexedAgent} connection, so that it holds neither a thread nor a
 * connection of its own, and offers every answer to its {@link ConsulWatch}. Queries follow
 * one another: the next one is sent when the answer before it was offered. After
 * a failed query the index is reset and the query retried with the back-off of
 * {@link ServiceWatch}; the {@link MultiplexedAgent} logs failures, at most every 10 s for
 * all its watches. Closing cancels the query in flight and gives the stream back.
 */
final class StreamedWatch implements ConsulWatch.Source {

	private static final Logger logger = LoggerFactory.getLogger(StreamedWatch.class);

	private final ConsulWatch owner;

	private final MultiplexedAgent.Connection connection;

	private final long waitSeconds;

	private final ScheduledExecutorService retries;

	private final AtomicBoolean closed = new AtomicBoolean();

	private volatile @Nullable CompletableFuture<?> inFlight;

	private volatile int failures;

	StreamedWatch(ConsulWatch owner, MultiplexedAgent.Connection connection, long waitSeconds,
			ScheduledExecutorService retries) {
		this.owner = owner;
		this.connection = connection;
		this.waitSeconds = waitSeconds;
		this.retries = retries;
	}

	@Override
	public void start() {
		query(0);
	}

	@Override
	public void close() {
		if (this.closed.compareAndSet(false, true)) {
			CompletableFuture<?> query = this.inFlight;
			if (query != null) {
				query.cancel(true);
			}
			this.connection.release();
		}
	}

	private void query(long index) {
		if (this.closed.get()) {
			return;
		}
		CompletableFuture<ConsulAgent.HealthSnapshot> query = this.connection.health(this.owner.service(), index,
				this.waitSeconds);
		this.inFlight = query;
		if (this.closed.get()) {
			query.cancel(true);
			return;
		}
		query.whenComplete((snapshot, failure) -> answered(index, snapshot, failure));
	}

	private void answered(long index, ConsulAgent.@Nullable HealthSnapshot snapshot, @Nullable Throwable failure) {
		if (this.closed.get()) {
			return;
		}
		if (failure == null && snapshot != null) {
			this.failures = 0;
			this.owner.offer(this, snapshot.instances());
			query(ServiceWatch.nextIndex(index, snapshot.index()));
		}
		else {
			retryAfter(failure);
		}
	}

	private void retryAfter(@Nullable Throwable failure) {
		int failed = this.failures;
		this.failures = failed + 1;
		if (failed == 0) {
			logger.debug("Watch of service '{}' failed; retrying", this.owner.service(), failure);
		}
		try {
			this.retries.schedule(() -> query(0), ServiceWatch.RETRY.delay(failed).toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (RejectedExecutionException ex) {
			// the backend is closing
		}
	}

}
