package dev.discovery.etcd;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.Executor;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.options.GetOption;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One read of every key under the namespace's services prefix, all at the revision of its
 * first page, so that one read answers the first lookups of many services. It reads pages in
 * key order, one at a time, and only as far as the lookups pay for it: each lookup that asks
 * pays for {@value #KEYS_PER_LOOKUP} keys (a read of one service costs about as much), the
 * first also for {@value #MIN_PAGE}, and a page is requested once at least
 * {@value #MIN_PAGE} keys are paid for and not yet requested, for all of them up to
 * {@value #MAX_PAGE}. So a few lookups in a huge namespace read one page of it, and lookups
 * that come fast read it in few, large pages. Nothing waits for it: a service whose keys are
 * not all in the pages read so far is not served. Page answers are handled on the given
 * executor, never on a jetcd thread. Thread-safe.
 */
final class NamespaceRead implements AutoCloseable {

	/** The fewest keys a page asks for, and the keys the first lookup pays for. */
	static final int MIN_PAGE = 1000;

	/** The most keys a page asks for. */
	static final int MAX_PAGE = 10_000;

	/** How many keys each lookup pays for: a read of one service costs about as much. */
	static final int KEYS_PER_LOOKUP = 125;

	private static final Logger logger = LoggerFactory.getLogger(NamespaceRead.class);

	private final KV kv;

	private final EtcdKeys keys;

	private final InstanceReader reader;

	private final EtcdRequests requests;

	private final Executor executor;

	private final long startedAt;

	/** The keys read and not served yet, in ISO-8859-1 so that string order is etcd's byte order. */
	private final NavigableMap<String, KeyValue> unserved = new TreeMap<>();

	private long revision;

	private @Nullable String lastKey;

	private int lookups;

	private int pagesRequested;

	private long keysRequested;

	private int pageSize;

	private boolean inFlight;

	private boolean complete;

	private boolean ended;

	/**
	 * Creates a read; the first page is requested by the first {@link #take}.
	 * @param kv jetcd's key-value client
	 * @param keys the key layout
	 * @param reader decodes the instances served
	 * @param requests the request deadlines
	 * @param executor handles the page answers
	 * @param startedAt when the read was created, in {@link System#nanoTime()}
	 */
	NamespaceRead(KV kv, EtcdKeys keys, InstanceReader reader, EtcdRequests requests, Executor executor,
			long startedAt) {
		this.kv = kv;
		this.keys = keys;
		this.reader = reader;
		this.requests = requests;
		this.executor = executor;
		this.startedAt = startedAt;
	}

	/**
	 * Returns when the read was created; its revision is no older than that.
	 * @return the time, in {@link System#nanoTime()}
	 */
	long startedAt() {
		return this.startedAt;
	}

	/**
	 * Returns the revision every page is read at.
	 * @return the revision, or 0 before the first page arrived
	 */
	synchronized long revision() {
		return this.revision;
	}

	/**
	 * Counts the pages requested so far.
	 * @return the count
	 */
	synchronized int pagesRequested() {
		return this.pagesRequested;
	}

	/**
	 * Tells whether every key of a service has been read.
	 * @param service a validated, lower-case service name
	 * @return whether the pages read so far hold all of the service's keys
	 */
	synchronized boolean covers(String service) {
		return readPast(rangeEnd(text(this.keys.service(service))));
	}

	/**
	 * Counts a lookup of a service, requests the next page if the lookups now pay for it, and
	 * hands over the service's instances if every key of the service has been read. Each
	 * service is handed over at most once. Never waits on the network.
	 * @param service a validated, lower-case service name
	 * @param minRevision the oldest revision the caller accepts
	 * @return the service as of this read's revision, or {@code null} if this read cannot
	 * serve it (not read that far yet, older than {@code minRevision}, failed or closed)
	 */
	@Nullable ServiceRead take(String service, long minRevision) {
		String prefix = text(this.keys.service(service));
		String end = rangeEnd(prefix);
		List<KeyValue> found = null;
		long at;
		boolean next;
		synchronized (this) {
			this.lookups++;
			next = claimPage();
			at = this.revision;
			if (!this.ended && at >= minRevision && readPast(end)) {
				NavigableMap<String, KeyValue> range = this.unserved.subMap(prefix, true, end, false);
				found = List.copyOf(range.values());
				range.clear();
			}
		}
		if (next) {
			requestPage();
		}
		return (found != null) ? ServiceRead.decode(at, found, this.reader) : null;
	}

	/**
	 * Stops reading and drops the keys not served. Idempotent.
	 */
	@Override
	public synchronized void close() {
		this.ended = true;
		this.unserved.clear();
	}

	private boolean readPast(String end) {
		return this.complete || (this.lastKey != null && this.lastKey.compareTo(end) >= 0);
	}

	private boolean claimPage() {
		long paid = MIN_PAGE + (long) KEYS_PER_LOOKUP * this.lookups - this.keysRequested;
		if (this.ended || this.complete || this.inFlight || paid < MIN_PAGE) {
			return false;
		}
		this.inFlight = true;
		this.pageSize = (int) Math.min(MAX_PAGE, paid);
		this.keysRequested += this.pageSize;
		this.pagesRequested++;
		return true;
	}

	private void requestPage() {
		String all = text(this.keys.allServices());
		GetOption.Builder option = GetOption.builder().withRange(bytes(rangeEnd(all)));
		ByteSequence from;
		synchronized (this) {
			option.withLimit(this.pageSize);
			from = bytes((this.lastKey != null) ? this.lastKey + '\0' : all);
			if (this.lastKey != null) {
				option.withRevision(this.revision);
			}
		}
		this.requests.bounded(this.kv.get(from, option.build())).whenCompleteAsync(this::page, this.executor);
	}

	private void page(@Nullable GetResponse response, @Nullable Throwable failure) {
		boolean next;
		synchronized (this) {
			this.inFlight = false;
			if (this.ended) {
				return;
			}
			if (response == null) {
				close();
				logger.debug("Reading the namespace for a burst of lookups failed ({}); reading services one by one",
						(failure != null) ? this.requests.reason(failure) : "no answer");
				return;
			}
			if (this.revision == 0) {
				this.revision = response.getHeader().getRevision();
			}
			for (KeyValue keyValue : response.getKvs()) {
				String key = text(keyValue.getKey());
				this.unserved.put(key, keyValue);
				this.lastKey = key;
			}
			this.complete = !response.isMore();
			next = claimPage();
		}
		if (next) {
			requestPage();
		}
	}

	private static String rangeEnd(String prefix) {
		return prefix.substring(0, prefix.length() - 1) + (char) (prefix.charAt(prefix.length() - 1) + 1);
	}

	private static String text(ByteSequence bytes) {
		return bytes.toString(StandardCharsets.ISO_8859_1);
	}

	private static ByteSequence bytes(String text) {
		return ByteSequence.from(text, StandardCharsets.ISO_8859_1);
	}

}
