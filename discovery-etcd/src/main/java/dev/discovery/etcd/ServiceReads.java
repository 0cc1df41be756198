package dev.discovery.etcd;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import io.etcd.jetcd.KV;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.options.GetOption;
import org.jspecify.annotations.Nullable;

/**
 * Reads services for {@link EtcdBackend#instances(String)} and keeps each read for
 * {@link #FRESHNESS}, so that a watch started right after a lookup follows on from the read
 * that answered it instead of reading the service again.
 * <p>
 * A lookup is a first lookup when the service was not read in the last {@link #FRESHNESS}.
 * Once first lookups come in a {@link Burst}, a {@link NamespaceRead} starts, and from then
 * on first lookups of services it has read are answered from it, without a request, until it
 * is {@link #FRESHNESS} old. Such an answer is as of that read's revision: at most
 * {@link #FRESHNESS} old, never older than this backend's own last write, and never older
 * than an earlier answer for the same service. Every other lookup reads the service from
 * etcd, linearizably, as before. Thread-safe; only {@link #read(String)} waits on the
 * network, for one request at most.
 */
final class ServiceReads implements AutoCloseable {

	/** How long a read is kept for a watch, and a namespace read answers first lookups. */
	static final Duration FRESHNESS = Duration.ofSeconds(1);

	private final KV kv;

	private final EtcdKeys keys;

	private final InstanceReader reader;

	private final EtcdRequests requests;

	private final ScheduledExecutorService scheduler;

	private final LongSupplier ownWriteRevision;

	private final Burst burst;

	/** The services read in the last {@link #FRESHNESS}, oldest first. */
	private final Map<String, Recent> recent = new LinkedHashMap<>();

	private @Nullable NamespaceRead shared;

	private boolean purgeScheduled;

	private boolean closed;

	/**
	 * Creates the reads of a backend.
	 * @param kv jetcd's key-value client
	 * @param keys the key layout
	 * @param reader decodes instances
	 * @param requests the request deadlines
	 * @param scheduler handles page answers and forgets reads once they are too old
	 * @param ownWriteRevision gives the revision of this backend's last write
	 * @param burst told of every first lookup
	 */
	ServiceReads(KV kv, EtcdKeys keys, InstanceReader reader, EtcdRequests requests, ScheduledExecutorService scheduler,
			LongSupplier ownWriteRevision, Burst burst) {
		this.kv = kv;
		this.keys = keys;
		this.reader = reader;
		this.requests = requests;
		this.scheduler = scheduler;
		this.ownWriteRevision = ownWriteRevision;
		this.burst = burst;
	}

	/**
	 * Reads a service, from a namespace read when this is a first lookup in a burst that one
	 * has already covered, otherwise from etcd.
	 * @param service a validated, lower-case service name
	 * @return the service's instances and the revision they are as of
	 * @throws dev.discovery.core.DiscoveryException if etcd did not answer within the request
	 * timeout
	 */
	ServiceRead read(String service) {
		NamespaceRead namespace = namespaceReadFor(service);
		ServiceRead read = (namespace != null) ? namespace.take(service, this.ownWriteRevision.getAsLong()) : null;
		if (read == null) {
			GetResponse response = this.requests.await(
					this.kv.get(this.keys.service(service), GetOption.builder().isPrefix(true).build()),
					"reading service " + service);
			read = ServiceRead.decode(response.getHeader().getRevision(), response.getKvs(), this.reader);
		}
		remember(service, read);
		return read;
	}

	/**
	 * Hands the latest read of a service from the last {@link #FRESHNESS} to a watch that
	 * starts now, once; the service still counts as read.
	 * @param service a validated, lower-case service name
	 * @return the read, or {@code null} if there is none to hand over
	 */
	synchronized @Nullable ServiceRead takeRecent(String service) {
		forgetExpired(System.nanoTime());
		Recent last = this.recent.get(service);
		if (last == null || last.read() == null) {
			return null;
		}
		this.recent.put(service, new Recent(last.revision(), null, last.at()));
		return last.read();
	}

	/**
	 * Returns the namespace read that answers first lookups now. For tests.
	 * @return the read, or {@code null} if there is none
	 */
	synchronized @Nullable NamespaceRead namespaceRead() {
		forgetExpired(System.nanoTime());
		return this.shared;
	}

	/**
	 * Forgets every read and stops a namespace read. Idempotent.
	 */
	@Override
	public synchronized void close() {
		this.closed = true;
		this.recent.clear();
		endSharedRead();
	}

	private synchronized @Nullable NamespaceRead namespaceReadFor(String service) {
		long now = System.nanoTime();
		forgetExpired(now);
		if (this.closed || this.recent.containsKey(service)) {
			return null;
		}
		if (this.burst.firstLookup(now) && this.shared == null) {
			this.shared = new NamespaceRead(this.kv, this.keys, this.reader, this.requests, this.scheduler, now);
			schedulePurge();
		}
		return this.shared;
	}

	private synchronized void remember(String service, ServiceRead read) {
		if (this.closed) {
			return;
		}
		Recent previous = this.recent.remove(service);
		long now = System.nanoTime();
		boolean newer = previous == null || read.revision() >= previous.revision();
		this.recent.put(service, newer ? new Recent(read.revision(), read, now)
				: new Recent(previous.revision(), previous.read(), now));
		schedulePurge();
	}

	private void forgetExpired(long now) {
		long freshness = FRESHNESS.toNanos();
		Iterator<Recent> oldestFirst = this.recent.values().iterator();
		while (oldestFirst.hasNext() && now - oldestFirst.next().at() > freshness) {
			oldestFirst.remove();
		}
		if (this.shared != null && now - this.shared.startedAt() > freshness) {
			endSharedRead();
		}
	}

	private void endSharedRead() {
		if (this.shared != null) {
			this.shared.close();
			this.shared = null;
		}
	}

	private void schedulePurge() {
		if (!this.purgeScheduled) {
			this.purgeScheduled = true;
			this.scheduler.schedule(this::purge, FRESHNESS.toNanos(), TimeUnit.NANOSECONDS);
		}
	}

	private synchronized void purge() {
		this.purgeScheduled = false;
		forgetExpired(System.nanoTime());
		if (!this.recent.isEmpty() || this.shared != null) {
			schedulePurge();
		}
	}

	/**
	 * The last read of a service.
	 *
	 * @param revision the newest revision the service was read at
	 * @param read that read, or {@code null} once handed to a watch
	 * @param at when the service was last read, in {@link System#nanoTime()}
	 */
	private record Recent(long revision, @Nullable ServiceRead read, long at) {
	}

}
