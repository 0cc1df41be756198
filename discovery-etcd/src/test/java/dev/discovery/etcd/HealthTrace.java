package dev.discovery.etcd;

import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jspecify.annotations.Nullable;

/**
 * When one client's view of the registry went stale and fresh again, as
 * {@link System#nanoTime()} stamps of each change. Thread-safe.
 */
final class HealthTrace {

	private final String client;

	private final List<Change> changes = new CopyOnWriteArrayList<>();

	HealthTrace(String client) {
		this.client = client;
	}

	String client() {
		return this.client;
	}

	/**
	 * Notes the current health; only a change is kept.
	 * @param fresh whether the client reaches the registry
	 */
	synchronized void record(boolean fresh) {
		Change last = last();
		if (last == null || last.fresh() != fresh) {
			this.changes.add(new Change(System.nanoTime(), fresh));
		}
	}

	boolean isFresh() {
		Change last = last();
		return last != null && last.fresh();
	}

	boolean wentStaleSince(long nanos) {
		return this.changes.stream().anyMatch((change) -> change.nanos() >= nanos && !change.fresh());
	}

	/**
	 * Returns when the client last became fresh, if that was after a given time and it is
	 * still fresh.
	 * @param nanos the time
	 * @return the {@link System#nanoTime()} of the change, or empty
	 */
	OptionalLong freshAgainSince(long nanos) {
		Change last = last();
		return (last != null && last.fresh() && last.nanos() >= nanos) ? OptionalLong.of(last.nanos())
				: OptionalLong.empty();
	}

	private @Nullable Change last() {
		return this.changes.isEmpty() ? null : this.changes.get(this.changes.size() - 1);
	}

	private record Change(long nanos, boolean fresh) {
	}

}
