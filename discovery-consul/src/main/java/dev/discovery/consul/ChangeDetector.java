package dev.discovery.consul;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows every {@link DetectedWatch} with one blocking query on
 * {@code /v1/health/state/any}, on one thread and one agent connection, however many
 * services it follows. Each answer is reduced by {@link CheckStates} to a fingerprint per
 * service; only the watches whose service's fingerprint differs from the previous answer
 * are handed to the change handler, so the agent gets one read per changed service, not one
 * per followed service. After the query failed (agent unreachable or restarted) every watch
 * reads its service again once the agent answers, as does a watch whose last read failed.
 * The thread starts with the first watch and waits, without a query, while there is none.
 */
final class ChangeDetector implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(ChangeDetector.class);

	private final ConsulAgent agent;

	private final long waitSeconds;

	private final Consumer<DetectedWatch> changed;

	private final Set<DetectedWatch> watches = ConcurrentHashMap.newKeySet();

	private final CountDownLatch closed = new CountDownLatch(1);

	private final Thread thread;

	private boolean started;

	/**
	 * Creates the detector; it starts with the first watch.
	 * @param agent a client with a connection of its own, for the blocking query
	 * @param waitSeconds how long one blocking query may wait for a change
	 * @param changed handles a watch whose service changed, on the detector's thread; it must
	 * not block
	 */
	ChangeDetector(ConsulAgent agent, long waitSeconds, Consumer<DetectedWatch> changed) {
		this.agent = agent;
		this.waitSeconds = waitSeconds;
		this.changed = changed;
		this.thread = new Thread(this::run, "discovery-consul-changes");
		this.thread.setDaemon(true);
	}

	/**
	 * Follows a watch from now on; changes made after the detector's last answer reach it.
	 * @param watch the watch
	 */
	synchronized void add(DetectedWatch watch) {
		this.watches.add(watch);
		if (!this.started) {
			this.started = true;
			this.thread.start();
		}
		notifyAll();
	}

	/**
	 * Stops following a watch.
	 * @param watch the watch
	 */
	void remove(DetectedWatch watch) {
		this.watches.remove(watch);
	}

	/** Ends the blocking query and the thread. */
	@Override
	public void close() {
		this.closed.countDown();
		synchronized (this) {
			notifyAll();
		}
		this.watches.clear();
		this.agent.close();
	}

	private void run() {
		long index = 0;
		int failures = 0;
		Map<String, Long> previous = Map.of();
		while (!isClosed()) {
			if (awaitedWatches()) {
				index = 0;
			}
			boolean readAll = index == 0;
			try {
				ConsulAgent.ChecksSnapshot snapshot = this.agent.checks(index, this.waitSeconds);
				index = ServiceWatch.nextIndex(index, snapshot.index());
				Map<String, Long> now = snapshot.services();
				for (DetectedWatch watch : this.watches) {
					if (readAll || watch.needsRead()) {
						watch.refresh();
					}
					else if (CheckStates.changed(watch.owner().service(), previous, now)) {
						this.changed.accept(watch);
					}
				}
				previous = now;
				failures = 0;
			}
			catch (RuntimeException ex) {
				if (isClosed()) {
					return;
				}
				index = 0;
				if (failures == 0) {
					logger.warn("Following the services without a blocking query of their own failed; retrying: {}",
							ex.getMessage());
				}
				pause(ServiceWatch.RETRY.delay(failures++).toNanos());
			}
		}
	}

	/**
	 * Waits while there is no watch and the detector is open. Returns whether it waited:
	 * changes made meanwhile were not followed, so the next query starts over.
	 */
	private boolean awaitedWatches() {
		boolean waited = false;
		synchronized (this) {
			while (!isClosed() && this.watches.isEmpty()) {
				waited = true;
				try {
					wait();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					this.closed.countDown();
				}
			}
		}
		return waited;
	}

	private boolean isClosed() {
		return this.closed.getCount() == 0;
	}

	private void pause(long nanos) {
		try {
			this.closed.await(nanos, TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.closed.countDown();
		}
	}

}
