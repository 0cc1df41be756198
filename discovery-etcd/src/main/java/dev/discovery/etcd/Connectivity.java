package dev.discovery.etcd;

import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;

/**
 * What the backend knows of its connection to etcd: whether the last request or probe was
 * answered, and if not, why, including why the last TLS handshake failed. Every request the
 * backend sends is linearizable, so an answer also means the cluster has a leader. Reading
 * it never waits on the network. Thread-safe.
 */
final class Connectivity {

	private volatile @Nullable String error = "not connected yet";

	private volatile @Nullable String handshakeProblem;

	private volatile long memberId;

	private volatile long raftTerm;

	private final AtomicLong failures = new AtomicLong();

	void answered() {
		this.error = null;
		this.handshakeProblem = null;
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

	/**
	 * Notes why a TLS handshake failed; the next answer forgets it.
	 * @param problem what failed and which setting to fix
	 */
	void handshakeFailed(String problem) {
		this.handshakeProblem = problem;
	}

	/**
	 * Says why the last TLS handshake failed, if no answer came since.
	 * @return the problem, or {@code null}
	 */
	@Nullable String handshakeProblem() {
		return this.handshakeProblem;
	}

	long memberId() {
		return this.memberId;
	}

	long raftTerm() {
		return this.raftTerm;
	}

}
