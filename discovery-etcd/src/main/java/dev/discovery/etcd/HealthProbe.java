package dev.discovery.etcd;

import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.Lease;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.LeaseOption;
import io.etcd.jetcd.Response;
import org.jspecify.annotations.Nullable;

/**
 * The cheap periodic request that keeps {@link Connectivity} current. It is linearizable,
 * so only a cluster with a leader answers it: the lease's time-to-live while there is a
 * lease (which also finds a lease that etcd no longer knows), otherwise a count of one key.
 * Thread-safe; never blocks.
 */
final class HealthProbe implements Runnable {

	private final KV kv;

	private final Lease leases;

	private final LeaseKeeper leaseKeeper;

	private final ByteSequence probeKey;

	private final EtcdRequests requests;

	private final Connectivity connectivity;

	private final Executor executor;

	private final Runnable reconnect;

	private final AtomicBoolean inFlight = new AtomicBoolean();

	HealthProbe(KV kv, Lease leases, LeaseKeeper leaseKeeper, ByteSequence probeKey, EtcdRequests requests,
			Connectivity connectivity, Executor executor, Runnable reconnect) {
		this.kv = kv;
		this.leases = leases;
		this.leaseKeeper = leaseKeeper;
		this.probeKey = probeKey;
		this.requests = requests;
		this.connectivity = connectivity;
		this.executor = executor;
		this.reconnect = reconnect;
	}

	/**
	 * Sends one probe unless one is still in flight; while etcd is unreachable, first asks
	 * the client to reconnect now.
	 */
	@Override
	public void run() {
		if (!this.connectivity.reachable()) {
			this.reconnect.run();
		}
		if (!this.inFlight.compareAndSet(false, true)) {
			return;
		}
		long lease = this.leaseKeeper.leaseId();
		if (this.leaseKeeper.state() == LeaseKeeper.State.ACTIVE) {
			this.requests.bounded(this.leases.timeToLive(lease, LeaseOption.DEFAULT))
				.whenCompleteAsync((response, failure) -> {
					if (response != null && response.getTTL() < 0) {
						this.leaseKeeper.lost(lease, "etcd no longer knows it");
					}
					record(response, failure);
				}, this.executor);
		}
		else {
			this.requests.bounded(this.kv.get(this.probeKey, GetOption.builder().withCountOnly(true).build()))
				.whenCompleteAsync(this::record, this.executor);
		}
	}

	private void record(@Nullable Response response, @Nullable Throwable failure) {
		if (response != null) {
			this.connectivity.answered(response.getHeader().getMemberId(), response.getHeader().getRaftTerm());
		}
		else {
			this.connectivity.unanswered((failure != null) ? this.requests.reason(failure) : "no answer");
		}
		this.inFlight.set(false);
	}

}
