package dev.discovery.consul;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;

/**
 * What the backend last learnt about its agent, written by every call and read by
 * {@code health()} without touching the network. A refusal (an error status from the
 * agent) stays recorded until the same operation succeeds, so that a denied registration
 * cannot be hidden by later successful reads. When the agent answers again after it could
 * not be reached, a listener is told, so that registrations it may have forgotten (a
 * restarted agent) are checked at once instead of at their next heartbeat. Thread-safe.
 */
final class AgentHealth {

	private final Runnable returned;

	private volatile @Nullable String unreachable = "no answer from the Consul agent yet";

	private volatile @Nullable String leader;

	private volatile @Nullable Boolean leaderKnown;

	private final Map<String, String> refusals = new ConcurrentHashMap<>();

	private final AtomicLong failures = new AtomicLong();

	private final AtomicLong requests = new AtomicLong();

	/**
	 * Creates the record.
	 * @param returned run, on the calling thread, each time the agent answers after it
	 * could not be reached; it must not block
	 */
	AgentHealth(Runnable returned) {
		this.returned = returned;
	}

	void requested() {
		this.requests.incrementAndGet();
	}

	/** How many calls the backend made to the agent since it started, answered or not. */
	long requests() {
		return this.requests.get();
	}

	void succeeded(String operation) {
		answered();
		this.refusals.remove(operation);
	}

	void refused(String operation, String message) {
		answered();
		this.refusals.put(operation, message);
		this.failures.incrementAndGet();
	}

	private void answered() {
		if (this.unreachable != null) {
			this.unreachable = null;
			this.returned.run();
		}
	}

	void unreachable(String message) {
		this.unreachable = message;
		this.failures.incrementAndGet();
	}

	/** How many calls the agent refused or did not answer since the backend started. */
	long failures() {
		return this.failures.get();
	}

	void leader(@Nullable String leader) {
		this.leader = leader;
		this.leaderKnown = leader != null;
	}

	/** Why the agent is unreachable, or null when its last answer came back. */
	@Nullable String unreachableReason() {
		return this.unreachable;
	}

	/** The leader's address the agent last reported, or null when it knew none. */
	@Nullable String leader() {
		return this.leader;
	}

	/** Whether the agent knew a leader when last asked, or null before the first answer. */
	@Nullable Boolean leaderKnown() {
		return this.leaderKnown;
	}

	List<String> refusals() {
		return List.copyOf(this.refusals.values());
	}

}
