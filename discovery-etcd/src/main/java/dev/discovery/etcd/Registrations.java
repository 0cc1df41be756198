package dev.discovery.etcd;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAccumulator;

import dev.discovery.core.Backoff;
import dev.discovery.core.DiscoveryException;
import dev.discovery.core.Registration;
import dev.discovery.core.ServiceInstance;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.Lease;
import io.etcd.jetcd.Response;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.PutOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The open registrations of one backend, written under the backend's one lease. When the
 * lease is lost, or a write or delete fails, a restore runs on the backend's restore
 * thread: it grants a new lease if needed and writes every open registration again, with
 * capped exponential back-off and jitter, until it succeeds. Thread-safe.
 */
final class Registrations {

	private static final Logger logger = LoggerFactory.getLogger(Registrations.class);

	private final KV kv;

	private final EtcdKeys keys;

	private final InstanceCodec codec;

	private final EtcdRequests requests;

	private final ScheduledExecutorService restorer;

	private final Backoff backoff;

	private final LeaseKeeper leaseKeeper;

	private final Map<ByteSequence, EtcdRegistration> byKey = new ConcurrentHashMap<>();

	/**
	 * Keys whose last attempted value must be deleted, because a registration failed or a
	 * deregistration could not delete it. Guarded by itself; a register of the same key
	 * cancels the deletion, and the deletion skips a key that an open registration owns.
	 */
	private final Map<ByteSequence, ByteSequence> undeleted = new HashMap<>();

	private final AtomicBoolean restoreScheduled = new AtomicBoolean();

	private final LongAccumulator lastWriteRevision = new LongAccumulator(Math::max, 0);

	private int failedRestores;

	private volatile boolean closed;

	/**
	 * Creates the registrations of a backend; nothing is written before the first
	 * registration.
	 * @param kv jetcd's key-value client
	 * @param leases jetcd's lease client
	 * @param keys the key layout
	 * @param codec writes instances as values
	 * @param requests the request deadlines
	 * @param ttlSeconds the lease TTL
	 * @param renewer runs the lease renewals, which never block
	 * @param restorer runs the writes and restores, which block up to the request timeout
	 * @param backoff the delays between failed attempts
	 */
	Registrations(KV kv, Lease leases, EtcdKeys keys, InstanceCodec codec, EtcdRequests requests, long ttlSeconds,
			ScheduledExecutorService renewer, ScheduledExecutorService restorer, Backoff backoff) {
		this.kv = kv;
		this.keys = keys;
		this.codec = codec;
		this.requests = requests;
		this.restorer = restorer;
		this.backoff = backoff;
		this.leaseKeeper = new LeaseKeeper(leases, requests, ttlSeconds, renewer, backoff, (lost) -> leaseLost());
	}

	/**
	 * Registers an instance, replacing this backend's earlier registration of the same
	 * service and id only once the new one is written.
	 * @param instance the instance
	 * @return the open registration
	 * @throws DiscoveryException if etcd could not be written in time; the earlier
	 * registration, if any, then stays in place
	 */
	Registration register(ServiceInstance instance) {
		if (this.closed) {
			throw new IllegalStateException("The etcd backend is closed");
		}
		ByteSequence key = this.keys.instance(instance);
		EtcdRegistration registration = new EtcdRegistration(this, key, instance);
		EtcdRegistration previous;
		synchronized (this.undeleted) {
			this.undeleted.remove(key);
			previous = this.byKey.put(key, registration);
		}
		try {
			write(registration);
		}
		catch (RuntimeException ex) {
			ByteSequence attempted = registration.markClosed();
			boolean restored = (previous != null) ? this.byKey.replace(key, registration, previous)
					: this.byKey.remove(key, registration);
			if (restored && previous != null) {
				writeLater(previous);
			}
			else if (restored && attempted != null) {
				deleteLater(key, attempted);
			}
			throw ex;
		}
		if (previous != null) {
			previous.markClosed();
		}
		return registration;
	}

	/**
	 * Writes a registration soon, on the restore thread; a failure schedules a restore.
	 * @param registration the registration
	 */
	void writeLater(EtcdRegistration registration) {
		this.restorer.execute(() -> {
			try {
				write(registration);
			}
			catch (RuntimeException ex) {
				scheduleRestore(ex);
			}
		});
	}

	/**
	 * Closes a registration and deletes its key, unless a newer registration of this
	 * backend replaced it or another value was written since. Never throws; a failed delete
	 * is retried by the restore loop.
	 * @param registration the registration
	 */
	void deregister(EtcdRegistration registration) {
		synchronized (registration) {
			boolean owner = this.byKey.remove(registration.key(), registration);
			ByteSequence value = registration.markClosed();
			if (!owner || value == null) {
				return;
			}
			try {
				delete(registration.key(), value);
			}
			catch (RuntimeException ex) {
				logger.warn("Could not delete {} from etcd: {}; retrying until the backend closes, which revokes the lease",
						registration, ex.getMessage());
				deleteLater(registration.key(), value);
			}
		}
	}

	int size() {
		return this.byKey.size();
	}

	/**
	 * Returns the revision of the last write or delete that etcd confirmed, so that reads
	 * can show this backend its own writes.
	 * @return the revision, or 0 before the first
	 */
	long lastWriteRevision() {
		return this.lastWriteRevision.get();
	}

	LeaseKeeper leaseKeeper() {
		return this.leaseKeeper;
	}

	/**
	 * Closes every registration.
	 * @param revoke whether to revoke the lease, which deletes every key at once;
	 * {@code false} leaves the keys to expire with the TTL
	 */
	void close(boolean revoke) {
		this.closed = true;
		this.byKey.values().forEach(EtcdRegistration::markClosed);
		this.byKey.clear();
		this.leaseKeeper.close(revoke);
	}

	private void write(EtcdRegistration registration) {
		synchronized (registration) {
			if (registration.isClosed()) {
				return;
			}
			long lease = this.leaseKeeper.lease();
			ServiceInstance instance = registration.instance();
			ByteSequence value = ByteSequence.from(this.codec.encode(instance));
			registration.writing(value);
			try {
				noteRevision(this.requests.await(
						this.kv.put(registration.key(), value, PutOption.builder().withLeaseId(lease).build()),
						"registering " + instance.service() + "/" + instance.id()));
			}
			catch (DiscoveryException ex) {
				if (EtcdRequests.isLeaseNotFound(ex)) {
					this.leaseKeeper.lost(lease, "etcd no longer knows it");
				}
				throw ex;
			}
			registration.written();
		}
	}

	private void delete(ByteSequence key, ByteSequence value) {
		noteRevision(this.requests.await(this.kv.txn()
			.If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.value(value)))
			.Then(Op.delete(key, DeleteOption.DEFAULT))
			.commit(), "deregistering " + key));
	}

	private void noteRevision(Response response) {
		this.lastWriteRevision.accumulate(response.getHeader().getRevision());
	}

	private void deleteLater(ByteSequence key, ByteSequence value) {
		synchronized (this.undeleted) {
			this.undeleted.put(key, value);
		}
		scheduleRestore(Duration.ZERO);
	}

	private List<ByteSequence> undeletedKeys() {
		synchronized (this.undeleted) {
			return List.copyOf(this.undeleted.keySet());
		}
	}

	/**
	 * Deletes the last attempted value of a key, unless an open registration owns the key
	 * now. Holds the lock through the request, so that a register of the same key cannot
	 * write the same value in between and see it deleted.
	 */
	private void deleteUndeleted(ByteSequence key) {
		synchronized (this.undeleted) {
			ByteSequence value = this.undeleted.get(key);
			if (value == null) {
				return;
			}
			if (!this.byKey.containsKey(key)) {
				delete(key, value);
			}
			this.undeleted.remove(key);
		}
	}

	private void leaseLost() {
		this.byKey.values().forEach(EtcdRegistration::lost);
		if (!this.byKey.isEmpty()) {
			scheduleRestore(Duration.ZERO);
		}
	}

	private void scheduleRestore(RuntimeException failure) {
		logger.warn("{}; restoring with back-off", failure.getMessage());
		scheduleRestore(this.backoff.delay(0));
	}

	private void scheduleRestore(Duration delay) {
		if (!this.closed && this.restoreScheduled.compareAndSet(false, true)) {
			this.restorer.schedule(this::restore, delay.toNanos(), TimeUnit.NANOSECONDS);
		}
	}

	private void restore() {
		this.restoreScheduled.set(false);
		if (this.closed) {
			return;
		}
		try {
			for (EtcdRegistration registration : this.byKey.values()) {
				write(registration);
			}
			for (ByteSequence key : undeletedKeys()) {
				deleteUndeleted(key);
			}
			if (this.failedRestores > 0) {
				logger.info("Restored {} registration(s) in etcd after {} failed attempt(s)", this.byKey.size(),
						this.failedRestores);
			}
			this.failedRestores = 0;
		}
		catch (RuntimeException ex) {
			if (this.closed) {
				return;
			}
			Duration delay = this.backoff.delay(this.failedRestores++);
			if (this.failedRestores == 1) {
				logger.warn("Could not restore registrations in etcd: {}; retrying with back-off", ex.getMessage());
			}
			else {
				logger.debug("Restore attempt {} failed: {}; next in {}", this.failedRestores, ex.getMessage(), delay);
			}
			scheduleRestore(delay);
		}
	}

}
