package dev.discovery.consul;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.discovery.core.Backoff;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows one service with blocking queries on its health endpoint, on a thread and an
 * agent connection of its own, and offers every answer to its {@link ConsulWatch}. After a
 * failed query the index is reset and the query retried with back-off; closing aborts a
 * query in flight.
 */
final class ServiceWatch implements ConsulWatch.Source {

	private static final Logger logger = LoggerFactory.getLogger(ServiceWatch.class);

	static final Backoff RETRY = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2));

	private final ConsulWatch owner;

	private final String service;

	private final ConsulAgent agent;

	private final long waitSeconds;

	private final CountDownLatch closed = new CountDownLatch(1);

	private final Thread thread;

	ServiceWatch(ConsulWatch owner, ConsulAgent agent, Duration wait) {
		this.owner = owner;
		this.service = owner.service();
		this.agent = agent;
		this.waitSeconds = wait.toSeconds();
		this.thread = new Thread(this::run, "discovery-consul-watch-" + this.service);
		this.thread.setDaemon(true);
	}

	@Override
	public void start() {
		this.thread.start();
	}

	@Override
	public void close() {
		this.closed.countDown();
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
		while (!isClosed()) {
			try {
				ConsulAgent.HealthSnapshot snapshot = this.agent.health(this.service, index, this.waitSeconds);
				index = nextIndex(index, snapshot.index());
				failures = 0;
				this.owner.offer(this, snapshot.instances());
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
