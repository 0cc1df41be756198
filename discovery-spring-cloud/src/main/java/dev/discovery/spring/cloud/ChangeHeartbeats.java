package dev.discovery.spring.cloud;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import dev.discovery.core.DiscoveryClient;
import dev.discovery.core.ServiceEvent;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.cloud.client.discovery.event.HeartbeatEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;

/**
 * Publishes a {@link HeartbeatEvent} after every change of a service our client watches,
 * with a value that grows with each one, so that listeners that refresh on a new value
 * (Spring Cloud Gateway's discovered routes, for example) refresh at once instead of on a
 * timer. The events are published on a thread of their own, never on the client's watch
 * thread: a listener's work (Gateway rebuilds every route) delays no other watcher. Changes
 * that come while an event waits to be published are covered by that event, so a burst of
 * changes costs one or two refreshes, not one each. Runs while the application context
 * runs.
 */
public class ChangeHeartbeats implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(ChangeHeartbeats.class);

	private final DiscoveryClient client;

	private final ApplicationEventPublisher publisher;

	private final AtomicLong changes = new AtomicLong();

	private final AtomicBoolean queued = new AtomicBoolean();

	private long published;

	private volatile @Nullable ExecutorService publishing;

	private @Nullable AutoCloseable subscription;

	/**
	 * Creates the publisher; nothing is published before {@link #start()}.
	 * @param client our client, whose watched services are followed
	 * @param publisher where the events go
	 */
	public ChangeHeartbeats(DiscoveryClient client, ApplicationEventPublisher publisher) {
		this.client = client;
		this.publisher = publisher;
	}

	@Override
	public synchronized void start() {
		if (this.subscription == null) {
			this.queued.set(false);
			this.publishing = Executors.newSingleThreadExecutor((task) -> {
				Thread thread = new Thread(task, "discovery-heartbeats");
				thread.setDaemon(true);
				return thread;
			});
			this.subscription = this.client.addListener(this::changed);
		}
	}

	@Override
	public synchronized void stop() {
		AutoCloseable current = this.subscription;
		this.subscription = null;
		if (current != null) {
			try {
				current.close();
			}
			catch (Exception ex) {
				logger.debug("Could not stop following the watched services", ex);
			}
		}
		if (this.publishing != null) {
			this.publishing.shutdownNow();
			this.publishing = null;
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return this.subscription != null;
	}

	private void changed(ServiceEvent event) {
		this.changes.incrementAndGet();
		ExecutorService executor = this.publishing;
		if (executor != null && this.queued.compareAndSet(false, true)) {
			try {
				executor.execute(this::publish);
			}
			catch (RejectedExecutionException ex) {
				logger.debug("A change came as the heartbeats stopped; not published", ex);
			}
		}
	}

	private void publish() {
		this.queued.set(false);
		long value = this.changes.get();
		if (value != this.published) {
			this.published = value;
			this.publisher.publishEvent(new HeartbeatEvent(this, value));
		}
	}

}
