package dev.discovery.consul;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import dev.discovery.core.Backoff;
import dev.discovery.core.ServiceInstance;
import dev.discovery.core.WatchDispatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows one service with blocking queries on its health endpoint, on a thread and an
 * agent connection of its own, and hands every changed list to a {@link WatchDispatcher},
 * which delivers it on the backend's delivery threads. After a failed query the index is
 * reset and the query retried with back-off; closing aborts a query in flight.
 */
final class ServiceWatch implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(ServiceWatch.class);

	static final Backoff RETRY = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2));

	private final String service;

	private final ConsulAgent agent;

	private final long waitSeconds;

	private final WatchDispatcher dispatcher;

	private final CountDownLatch closed = new CountDownLatch(1);

	private final Thread thread;

	private volatile List<ServiceInstance> current = List.of();

	ServiceWatch(String service, ConsulAgent agent, Duration wait, Executor deliveries,
			Consumer<List<ServiceInstance>> listener) {
		this.service = service;
		this.agent = agent;
		this.waitSeconds = wait.toSeconds();
		this.dispatcher = new WatchDispatcher(service, deliveries, () -> this.current, listener);
		this.thread = new Thread(this::run, "discovery-consul-watch-" + service);
		this.thread.setDaemon(true);
	}

	void start() {
		this.thread.start();
	}

	@Override
	public void close() {
		this.closed.countDown();
		this.dispatcher.close();
		this.agent.close();
	}

	/**
	 * The index for the next blocking query, as Consul's documentation asks: start over from
	 * 0 when the index went backwards (a restarted agent or a restored snapshot), and never
	 * block on 0 after the first answer.
	 */
	static long nextIndex(long previous, long returned) {
		if (returned < previous) {
			return 0;
		}
		return Math.max(returned, 1);
	}

	private void run() {
		long index = 0;
		int failures = 0;
		boolean delivered = false;
		while (!isClosed()) {
			try {
				ConsulAgent.HealthSnapshot snapshot = this.agent.health(this.service, index, this.waitSeconds);
				index = nextIndex(index, snapshot.index());
				failures = 0;
				if (!delivered || !snapshot.instances().equals(this.current)) {
					this.current = snapshot.instances();
					delivered = true;
					this.dispatcher.signal();
				}
			}
			catch (RuntimeException ex) {
				if (isClosed()) {
					return;
				}
				index = 0;
				if (failures == 0) {
					logger.warn("Watch of service '{}' failed; retrying: {}", this.service, ex.getMessage());
				}
				pause(RETRY.delay(failures++));
			}
		}
	}

	private boolean isClosed() {
		return this.closed.getCount() == 0;
	}

	private void pause(Duration delay) {
		try {
			this.closed.await(delay.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.closed.countDown();
		}
	}

}
