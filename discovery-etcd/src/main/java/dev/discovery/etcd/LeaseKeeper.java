package dev.discovery.etcd;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongConsumer;

import dev.discovery.core.Backoff;
import dev.discovery.core.DiscoveryException;
import io.etcd.jetcd.Lease;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one lease of a backend, granted when first needed and renewed every third of its TTL
 * by a KeepAlive request of its own ({@link Lease#keepAliveOnce}) with a deadline of at
 * most that third.
 * <p>
 * Each renewal is a new gRPC stream, which the channel sends to the next member. A member
 * that froze, or sits behind a network black hole, therefore holds up one renewal, and the
 * retry goes to another member. jetcd's {@link Lease#keepAlive} instead sends every renewal
 * on one long-lived stream, which stays on a frozen member until gRPC's connection
 * keep-alive drops it (10 s at the least), and a short lease expires meanwhile.
 * <p>
 * An unanswered or failed renewal is retried with back-off, never later than the regular
 * interval, for as long as it takes: only etcd knows whether the lease outlived an outage
 * (a new leader extends every lease, a restart on the data dir keeps them), so the lease is
 * declared lost only when etcd answers that it no longer knows it. The next
 * {@link #lease()} then grants a new one. Renewals left unanswered for a whole TTL are
 * logged once.
 * Renewals and their reactions run on the given scheduler and never block it. Thread-safe.
 */
final class LeaseKeeper {

	private static final Logger logger = LoggerFactory.getLogger(LeaseKeeper.class);

	/** Where the lease is in its life. */
	enum State {

		/** No lease was needed yet. */
		NONE,

		/** The lease is granted and renewed. */
		ACTIVE,

		/** The lease was lost; the next request for it grants a new one. */
		LOST,

		/** The backend closed; the lease was revoked. */
		CLOSED

	}

	private final Lease leases;

	private final EtcdRequests requests;

	private final long ttlSeconds;

	private final Duration ttl;

	private final Duration renewInterval;

	private final Duration renewTimeout;

	private final ScheduledExecutorService scheduler;

	private final Backoff backoff;

	private final LongConsumer onLost;

	private final ReentrantLock lock = new ReentrantLock();

	private volatile State state = State.NONE;

	private volatile long leaseId;

	private volatile @Nullable ScheduledFuture<?> nextRenewal;

	private boolean unansweredForTtl;

	/**
	 * Creates a keeper; nothing is granted until {@link #lease()}.
	 * @param leases jetcd's lease client
	 * @param requests the request deadlines
	 * @param ttlSeconds the lease TTL
	 * @param scheduler runs the renewals and the reactions to their answers
	 * @param backoff the delays between failed renewals, capped by a third of the TTL
	 * @param onLost told the id of a lease that was lost, on the scheduler
	 */
	LeaseKeeper(Lease leases, EtcdRequests requests, long ttlSeconds, ScheduledExecutorService scheduler,
			Backoff backoff, LongConsumer onLost) {
		this.leases = leases;
		this.requests = requests;
		this.ttlSeconds = ttlSeconds;
		this.ttl = Duration.ofSeconds(ttlSeconds);
		this.renewInterval = this.ttl.dividedBy(3);
		this.renewTimeout = min(requests.timeout(), this.renewInterval);
		this.scheduler = scheduler;
		this.backoff = backoff;
		this.onLost = onLost;
	}

	/**
	 * Returns the live lease, granting one first if there is none. Blocks at most about
	 * twice the request timeout.
	 * @return the lease id
	 * @throws DiscoveryException if no lease could be granted in time
	 */
	long lease() {
		lockWithin("granting a lease");
		try {
			if (this.state == State.CLOSED) {
				throw new IllegalStateException("The etcd backend is closed");
			}
			if (this.state != State.ACTIVE) {
				long requestedAt = System.nanoTime();
				long granted = this.requests.await(this.leases.grant(this.ttlSeconds), "granting a lease").getID();
				this.leaseId = granted;
				this.state = State.ACTIVE;
				scheduleRenewal(granted, requestedAt, 0, this.renewInterval);
				logger.debug("Granted etcd lease {} with a TTL of {} s", Long.toHexString(granted), this.ttlSeconds);
			}
			return this.leaseId;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Declares a lease lost, unless it was replaced already. Never blocks on the network.
	 * @param lost the id of the lost lease
	 * @param reason why, for the log
	 */
	void lost(long lost, String reason) {
		this.scheduler.execute(() -> {
			this.lock.lock();
			try {
				if (!isCurrent(lost)) {
					return;
				}
				this.state = State.LOST;
				cancelRenewal();
			}
			finally {
				this.lock.unlock();
			}
			logger.warn("Lost etcd lease {} ({}); granting a new one and registering again", Long.toHexString(lost),
					reason);
			this.onLost.accept(lost);
		});
	}

	State state() {
		return this.state;
	}

	long leaseId() {
		return this.leaseId;
	}

	/**
	 * Stops the renewals and revokes the lease, which deletes every key attached to it.
	 * Idempotent; a failed revoke is logged (the keys then expire with the TTL).
	 * @param revoke whether to revoke; {@code false} only stops the renewals
	 */
	void close(boolean revoke) {
		this.lock.lock();
		try {
			if (this.state == State.CLOSED) {
				return;
			}
			boolean active = this.state == State.ACTIVE;
			this.state = State.CLOSED;
			cancelRenewal();
			if (active && revoke) {
				try {
					this.requests.await(this.leases.revoke(this.leaseId), "revoking the lease");
				}
				catch (DiscoveryException ex) {
					logger.warn("{}; the registrations expire within {} s", ex.getMessage(), this.ttlSeconds);
				}
			}
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Sends one renewal of a lease, unless it was replaced or closed since.
	 * @param lease the lease
	 * @param answeredAt when the last answered renewal (or the grant) was sent, from
	 * {@link System#nanoTime()}
	 * @param failures the renewals that failed since then
	 */
	private void renew(long lease, long answeredAt, int failures) {
		if (!isCurrent(lease)) {
			return;
		}
		long sentAt = System.nanoTime();
		this.requests.bounded(this.leases.keepAliveOnce(lease), this.renewTimeout)
			.whenCompleteAsync((response, failure) -> {
				if (failure == null) {
					renewed(lease, failures);
					scheduleRenewal(lease, sentAt, 0, this.renewInterval);
				}
				else {
					renewalFailed(lease, answeredAt, failures + 1, failure);
				}
			}, this.scheduler);
	}

	private void renewed(long lease, int failures) {
		if (this.unansweredForTtl) {
			this.unansweredForTtl = false;
			logger.info("etcd answered a renewal of lease {} again, after {} failed attempt(s)", Long.toHexString(lease),
					failures);
		}
	}

	private void renewalFailed(long lease, long answeredAt, int failures, Throwable failure) {
		if (!isCurrent(lease)) {
			return;
		}
		if (EtcdRequests.isLeaseNotFound(failure)) {
			this.unansweredForTtl = false;
			lost(lease, "etcd no longer knows it");
			return;
		}
		Duration delay = min(this.backoff.delay(failures - 1), this.renewInterval);
		String reason = this.requests.reason(failure, this.renewTimeout);
		if (System.nanoTime() - answeredAt >= this.ttl.toNanos() && !this.unansweredForTtl) {
			this.unansweredForTtl = true;
			logger.warn("No renewal of etcd lease {} was answered for its TTL of {} s ({}); renewing on, and"
					+ " registering again if etcd says the lease expired", Long.toHexString(lease), this.ttlSeconds,
					reason);
		}
		else {
			logger.debug("Renewing etcd lease {} failed ({}); retrying in {}", Long.toHexString(lease), reason, delay);
		}
		scheduleRenewal(lease, answeredAt, failures, delay);
	}

	private void scheduleRenewal(long lease, long answeredAt, int failures, Duration delay) {
		if (isCurrent(lease)) {
			this.nextRenewal = this.scheduler.schedule(() -> renew(lease, answeredAt, failures), delay.toNanos(),
					TimeUnit.NANOSECONDS);
		}
	}

	private void cancelRenewal() {
		ScheduledFuture<?> renewal = this.nextRenewal;
		if (renewal != null) {
			renewal.cancel(false);
		}
	}

	private boolean isCurrent(long lease) {
		return this.state == State.ACTIVE && this.leaseId == lease;
	}

	private void lockWithin(String operation) {
		try {
			if (!this.lock.tryLock(this.requests.timeout().toNanos(), TimeUnit.NANOSECONDS)) {
				throw new DiscoveryException("etcd: " + operation + " timed out after " + this.requests.timeout()
						+ " waiting for another request");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new DiscoveryException("etcd: interrupted while " + operation, ex);
		}
	}

	private static Duration min(Duration a, Duration b) {
		return (a.compareTo(b) <= 0) ? a : b;
	}

}
