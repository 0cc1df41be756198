package dev.discovery.etcd;

import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongConsumer;

import dev.discovery.core.DiscoveryException;
import io.etcd.jetcd.Lease;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.etcd.jetcd.support.CloseableClient;
import io.grpc.stub.StreamObserver;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one lease of a backend, granted when first needed and kept alive with jetcd's
 * KeepAlive. When the keep-alive ends ({@code onCompleted}, {@code onError}, or an answer
 * that the lease is gone), the lease is declared lost and the next {@link #lease()} grants
 * a new one. KeepAlive callbacks only hand work to the backend's own executor.
 * Thread-safe.
 */
final class LeaseKeeper {

	private static final Logger logger = LoggerFactory.getLogger(LeaseKeeper.class);

	/** Where the lease is in its life. */
	enum State {

		/** No lease was needed yet. */
		NONE,

		/** The lease is granted and kept alive. */
		ACTIVE,

		/** The lease was lost; the next request for it grants a new one. */
		LOST,

		/** The backend closed; the lease was revoked. */
		CLOSED

	}

	private final Lease leases;

	private final EtcdRequests requests;

	private final long ttlSeconds;

	private final Executor executor;

	private final LongConsumer onLost;

	private final ReentrantLock lock = new ReentrantLock();

	private volatile State state = State.NONE;

	private volatile long leaseId;

	private @Nullable CloseableClient keepAlive;

	/**
	 * Creates a keeper; nothing is granted until {@link #lease()}.
	 * @param leases jetcd's lease client
	 * @param requests the request deadlines
	 * @param ttlSeconds the lease TTL
	 * @param executor runs the reaction to keep-alive callbacks
	 * @param onLost told the id of a lease that was lost, on the executor
	 */
	LeaseKeeper(Lease leases, EtcdRequests requests, long ttlSeconds, Executor executor, LongConsumer onLost) {
		this.leases = leases;
		this.requests = requests;
		this.ttlSeconds = ttlSeconds;
		this.executor = executor;
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
				long granted = this.requests.await(this.leases.grant(this.ttlSeconds), "granting a lease").getID();
				this.keepAlive = this.leases.keepAlive(granted, new KeepAliveObserver(granted));
				this.leaseId = granted;
				this.state = State.ACTIVE;
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
		this.executor.execute(() -> {
			CloseableClient ended;
			this.lock.lock();
			try {
				if (this.state != State.ACTIVE || this.leaseId != lost) {
					return;
				}
				this.state = State.LOST;
				ended = this.keepAlive;
				this.keepAlive = null;
			}
			finally {
				this.lock.unlock();
			}
			logger.warn("Lost etcd lease {} ({}); granting a new one and registering again", Long.toHexString(lost),
					reason);
			if (ended != null) {
				ended.close();
			}
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
	 * Stops the keep-alive and revokes the lease, which deletes every key attached to it.
	 * Idempotent; a failed revoke is logged (the keys then expire with the TTL).
	 * @param revoke whether to revoke; {@code false} only stops the keep-alive
	 */
	void close(boolean revoke) {
		this.lock.lock();
		try {
			if (this.state == State.CLOSED) {
				return;
			}
			boolean active = this.state == State.ACTIVE;
			this.state = State.CLOSED;
			if (this.keepAlive != null) {
				this.keepAlive.close();
				this.keepAlive = null;
			}
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

	private final class KeepAliveObserver implements StreamObserver<LeaseKeepAliveResponse> {

		private final long id;

		KeepAliveObserver(long id) {
			this.id = id;
		}

		@Override
		public void onNext(LeaseKeepAliveResponse response) {
			if (response.getTTL() <= 0) {
				lost(this.id, "etcd no longer knows it");
			}
		}

		@Override
		public void onError(Throwable error) {
			lost(this.id, "keep-alive failed: " + error.getMessage());
		}

		@Override
		public void onCompleted() {
			lost(this.id, "keep-alive ended");
		}

	}

}
