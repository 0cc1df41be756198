package dev.discovery.spring.cloud;

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
 * Publishes a {@link HeartbeatEvent} on every change of a service our client watches,
 * with a value that grows with each one, so that listeners that refresh on a new value
 * (Spring Cloud Gateway's discovered routes, for example) refresh at once instead of on a
 * timer. Runs while the application context runs.
 */
public class ChangeHeartbeats implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(ChangeHeartbeats.class);

	private final DiscoveryClient client;

	private final ApplicationEventPublisher publisher;

	private final AtomicLong changes = new AtomicLong();

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
	}

	@Override
	public synchronized boolean isRunning() {
		return this.subscription != null;
	}

	private void changed(ServiceEvent event) {
		this.publisher.publishEvent(new HeartbeatEvent(this, this.changes.incrementAndGet()));
	}

}
