package dev.discovery.etcd;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import dev.discovery.core.Backoff;
import dev.discovery.core.ServiceInstance;
import dev.discovery.core.WatchDispatcher;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One watch subscription of a service: reads the service's prefix (or takes a read that
 * just answered a lookup), remembers the revision, and watches from the next revision, so
 * that no change between the read and the watch is lost. When etcd ends the watch
 * (compaction, no leader, all members down, halted) it reads and watches again, with
 * back-off, and delivers the list as of the new revision; until
 * then the listener keeps the last list. A request timeout after it started and after each
 * answered progress request, the watch asks etcd for a progress notification
 * ({@link #checkProgress()}); if one stays unanswered for a request timeout, the member
 * serving the watch froze or was cut off without closing the connection, and the watch is
 * read and watched again, which sends it to another member. After etcd was out of reach for
 * at least the grace (the TTL), instances that disappear are kept for one more grace, as a
 * {@link ServiceView} explains. jetcd callbacks only hand work to the scheduler, whose
 * single thread owns this watch's state; lists reach the listener through a
 * {@link WatchDispatcher}.
 */
final class ServiceWatch implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(ServiceWatch.class);

	private final String service;

	private final ByteSequence prefix;

	private final KV kv;

	private final Watch watchClient;

	private final InstanceReader reader;

	private final EtcdRequests requests;

	private final ScheduledExecutorService scheduler;

	private final Backoff backoff;

	private final WatchDispatcher dispatcher;

	private final ServiceView view;

	private volatile List<ServiceInstance> snapshot = List.of();

	private boolean published;

	private long generation;

	private int failures;

	private long interruptedAt;

	private long answeredAt;

	private long progressRequestedAt;

	/** When the next progress request is due, unless one is unanswered. */
	private long progressDueAt;

	private Watch.@Nullable Watcher watcher;

	private volatile boolean closed;

	ServiceWatch(String service, ByteSequence prefix, KV kv, Watch watchClient, InstanceReader reader,
			EtcdRequests requests, ScheduledExecutorService scheduler, Executor deliveries, Backoff backoff,
			Duration outageGrace, Consumer<List<ServiceInstance>> listener) {
		this.service = service;
		this.prefix = prefix;
		this.kv = kv;
		this.watchClient = watchClient;
		this.reader = reader;
		this.requests = requests;
		this.scheduler = scheduler;
		this.backoff = backoff;
		this.view = new ServiceView(prefix.toString(StandardCharsets.UTF_8), outageGrace);
		this.dispatcher = new WatchDispatcher(service, deliveries, () -> this.snapshot, listener);
	}

	/**
	 * Starts the watch; to be run on the scheduler, and never blocks. With a read of the
	 * service, it delivers that read and watches from the next revision without reading the
	 * service again; if etcd has compacted that revision meanwhile, the watch ends and is read
	 * and watched again like any ended watch.
	 * @param recent a read of the service, or {@code null} to read it first
	 */
	void start(@Nullable ServiceRead recent) {
		if (recent != null) {
			startFrom(recent);
		}
		else {
			resync();
		}
	}

	@Override
	public void close() {
		this.closed = true;
		this.dispatcher.close();
		this.scheduler.execute(this::stopWatcher);
	}

	private void resync() {
		if (this.closed) {
			return;
		}
		long current = ++this.generation;
		stopWatcher();
		this.requests.bounded(this.kv.get(this.prefix, GetOption.builder().isPrefix(true).build()))
			.whenComplete((response, failure) -> this.scheduler.execute(() -> read(current, response, failure)));
	}

	private void read(long current, @Nullable GetResponse response, @Nullable Throwable failure) {
		if (this.closed || current != this.generation) {
			return;
		}
		if (response == null) {
			retry("reading it failed: " + this.requests.reason(failure));
			return;
		}
		ServiceRead read = ServiceRead.decode(response.getHeader().getRevision(), response.getKvs(), this.reader);
		boolean afterOutage = this.failures > 0
				&& System.nanoTime() - this.interruptedAt >= this.view.grace().toNanos();
		this.view.replace(read.instances(), afterOutage);
		if (afterOutage) {
			this.scheduler.schedule(this::endGraceIfDue, this.view.grace().toNanos(), TimeUnit.NANOSECONDS);
		}
		follow(current, read.revision());
	}

	private void startFrom(ServiceRead recent) {
		if (this.closed) {
			return;
		}
		long current = ++this.generation;
		this.view.replace(recent.instances(), false);
		follow(current, recent.revision());
	}

	private void follow(long current, long revision) {
		publish();
		WatchOption fromNextRevision = WatchOption.builder()
			.isPrefix(true)
			.withRevision(revision + 1)
			.withRequireLeader(true)
			.build();
		this.watcher = this.watchClient.watch(this.prefix, fromNextRevision,
				Watch.listener((changes) -> this.scheduler.execute(() -> apply(current, changes)),
						(error) -> this.scheduler.execute(() -> ended(current, this.requests.reason(error))),
						() -> this.scheduler.execute(() -> ended(current, "etcd closed it"))));
		this.answeredAt = System.nanoTime();
		this.progressRequestedAt = 0;
		this.progressDueAt = this.answeredAt + this.requests.timeout().toNanos();
		if (this.failures > 0) {
			logger.info("Watch of service '{}' resumed at revision {}", this.service, revision);
		}
		this.failures = 0;
	}

	/**
	 * Checks that the member serving the watch still answers; the backend calls it on the
	 * scheduler for every watch several times per request timeout, one timer for all watches
	 * rather than a scheduled task per followed service. One request timeout after the watch
	 * started, and after each answered progress request, it asks etcd for a progress
	 * notification; when one stays unanswered for a request timeout, it ends the watch, which
	 * is then read and watched again.
	 */
	void checkProgress() {
		Watch.Watcher active = this.watcher;
		if (this.closed || active == null) {
			return;
		}
		long now = System.nanoTime();
		long timeout = this.requests.timeout().toNanos();
		if (this.answeredAt < this.progressRequestedAt) {
			if (now - this.progressRequestedAt >= timeout) {
				this.requests.reportUnanswered();
				ended(this.generation, "no answer to a progress request within " + this.requests.timeout()
						+ "; the member serving it may be frozen or cut off");
			}
			return;
		}
		if (now - this.progressDueAt >= 0) {
			this.progressRequestedAt = now;
			this.progressDueAt = now + timeout;
			active.requestProgress();
		}
	}

	private void apply(long current, WatchResponse changes) {
		if (this.closed || current != this.generation) {
			return;
		}
		this.answeredAt = System.nanoTime();
		for (WatchEvent event : changes.getEvents()) {
			String key = event.getKeyValue().getKey().toString(StandardCharsets.UTF_8);
			ServiceInstance instance = (event.getEventType() == WatchEvent.EventType.PUT)
					? this.reader.read(event.getKeyValue()) : null;
			if (instance != null) {
				this.view.put(instance);
			}
			else if (event.getEventType() == WatchEvent.EventType.DELETE) {
				this.view.deleted(key);
				this.reader.deleted(key);
			}
			else {
				this.view.discard(key);
			}
		}
		publish();
	}

	private void ended(long current, String reason) {
		if (this.closed || current != this.generation) {
			return;
		}
		this.generation++;
		stopWatcher();
		retry("the watch ended: " + reason);
	}

	private void endGraceIfDue() {
		if (!this.closed && this.view.endGraceIfDue()) {
			publish();
		}
	}

	private void retry(String reason) {
		if (this.failures == 0) {
			this.interruptedAt = System.nanoTime();
		}
		long delay = this.backoff.delay(this.failures++).toNanos();
		if (this.failures == 1) {
			logger.warn("Watch of service '{}' interrupted ({}); reading it again", this.service, reason);
		}
		else {
			logger.debug("Watch of service '{}' still interrupted ({})", this.service, reason);
		}
		long current = this.generation;
		this.scheduler.schedule(() -> {
			if (current == this.generation) {
				resync();
			}
		}, delay, TimeUnit.NANOSECONDS);
	}

	private void publish() {
		List<ServiceInstance> next = this.view.instances();
		if (!this.published || !next.equals(this.snapshot)) {
			this.published = true;
			this.snapshot = next;
			this.dispatcher.signal();
		}
	}

	private void stopWatcher() {
		Watch.Watcher current = this.watcher;
		this.watcher = null;
		if (current != null) {
			current.close();
		}
	}

}
