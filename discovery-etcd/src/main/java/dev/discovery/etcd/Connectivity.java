package dev.discovery.etcd;

import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;

/**
 * What the backend knows of its connection to etcd: whether the last request or probe was
 * answered, and if not, why. Every request the backend sends is linearizable, so an answer
 * also means the cluster has a leader. Reading it never waits on the network. Thread-safe.
 */
final class Connectivity {

	private volatile @Nullable String error = "not connected yet";

	private volatile long memberId;

	private volatile long raftTerm;

	private final AtomicLong failures = new AtomicLong();

	void answered() {
		this.error = null;
	}

	void answered(long memberId, long raftTerm) {
		this.memberId = memberId;
		this.raftTerm = raftTerm;
		answered();
	}

	void unanswered(String error) {
		this.error = error;
		failed();
	}

	/**
	 * Counts a request that failed, whether or not etcd was reachable.
	 */
	void failed() {
		this.failures.incrementAndGet();
	}

	/**
	 * Returns how many requests and probes failed since the backend started.
	 * @return the count
	 */
	long failures() {
		return this.failures.get();
	}

	boolean reachable() {
		return this.error == null;
	}

	/**
	 * Says why etcd is unreachable.
	 * @return the reason, or {@code null} while etcd answers
	 */
	@Nullable String error() {
		return this.error;
	}

	long memberId() {
		return this.memberId;
	}

	long raftTerm() {
		return this.raftTerm;
	}

}
