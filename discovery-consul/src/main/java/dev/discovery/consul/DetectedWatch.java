package dev.discovery.consul;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import dev.discovery.core.ServiceInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows a service without a blocking query of its own: the {@link ChangeDetector} tells it
 * when the service may have changed, and it then reads the service once through the
 * backend's shared connections and offers the list to its {@link ConsulWatch}. Refreshes are
 * coalesced (one read queued at most) and reads run one at a time, so a later read never
 * offers an older list. A read that fails is retried with back-off while the agent answers
 * other calls; while it does not, the detector reads every watch again once the agent is
 * back.
 */
final class DetectedWatch implements ConsulWatch.Source {

	private static final Logger logger = LoggerFactory.getLogger(DetectedWatch.class);

	private final ConsulWatch owner;

	private final ConsulAgent agent;

	private final AgentHealth agentHealth;

	private final Executor reads;

	private final ScheduledExecutorService retries;

	private final Consumer<DetectedWatch> onClose;

	private final AtomicBoolean queued = new AtomicBoolean();

	private volatile boolean closed;

	private volatile int failures;

	DetectedWatch(ConsulWatch owner, ConsulAgent agent, AgentHealth agentHealth, Executor reads,
			ScheduledExecutorService retries, Consumer<DetectedWatch> onClose) {
		this.owner = owner;
		this.agent = agent;
		this.agentHealth = agentHealth;
		this.reads = reads;
		this.retries = retries;
		this.onClose = onClose;
	}

	ConsulWatch owner() {
		return this.owner;
	}

	/** Whether the last read failed, so that the detector should read it again. */
	boolean needsRead() {
		return this.failures > 0;
	}

	@Override
	public void start() {
		refresh();
	}

	/** Queues one read of the service, unless one is queued already. Never blocks. */
	void refresh() {
		if (this.closed || !this.queued.compareAndSet(false, true)) {
			return;
		}
		try {
			this.reads.execute(this::read);
		}
		catch (RejectedExecutionException ex) {
			this.queued.set(false);
		}
	}

	@Override
	public void close() {
		this.closed = true;
		this.onClose.accept(this);
	}

	private synchronized void read() {
		this.queued.set(false);
		if (this.closed) {
			return;
		}
		try {
			List<ServiceInstance> instances = this.agent.health(this.owner.service(), 0, 0).instances();
			this.failures = 0;
			this.owner.offer(this, instances);
		}
		catch (RuntimeException ex) {
			if (this.failures++ == 0) {
				logger.warn("Reading service '{}' after a change failed; retrying: {}", this.owner.service(),
						ex.getMessage());
			}
			if (this.agentHealth.unreachableReason() == null) {
				retryAfter(ServiceWatch.RETRY.delay(this.failures - 1));
			}
		}
	}

	private void retryAfter(Duration delay) {
		try {
			this.retries.schedule(this::refresh, delay.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (RejectedExecutionException ex) {
			// the backend is closing
		}
	}

}
