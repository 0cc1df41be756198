package dev.discovery.etcd;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.discovery.core.ServiceInstance;
import org.jspecify.annotations.Nullable;

/**
 * The instances of one service as its watch last saw them, by id, with a grace after an
 * outage.
 * <p>
 * When etcd comes back after it could not be reached for a whole lease TTL, it expires
 * every lease that went unrenewed meanwhile, including those of owners that are alive and
 * register again moments later. So for one grace period after such an outage, an instance
 * whose key is deleted, or that a fresh read no longer finds, stays in the view; it leaves
 * when the grace ends unless it was written again. Outside that period every change applies
 * at once.
 * <p>
 * Instances are held in a list sorted by id, found by binary search on the instance's own
 * id rather than by their key, which would cost a second string and a map entry per cached
 * instance: under the service's prefix a key is the prefix and the id, and keys of any
 * other form never hold an instance. Not thread-safe: its watch's scheduler thread owns it.
 */
final class ServiceView {

	private static final Comparator<ServiceInstance> BY_ID = Comparator.comparing(ServiceInstance::id);

	private final String prefix;

	private final Duration grace;

	/**
	 * The instances sorted by id, as {@link #instances()} last handed them out: an immutable
	 * list that the watch and the client share, kept as long as the instances stay equal.
	 */
	private List<ServiceInstance> present = List.of();

	/** The instances with the changes not handed out yet, sorted by id, or null without any. */
	private @Nullable List<ServiceInstance> edits;

	/** The instances the grace keeps, by id; made when it first keeps one. */
	private @Nullable Map<String, ServiceInstance> held;

	private long graceEndsAt;

	private boolean inGrace;

	/**
	 * Creates an empty view.
	 * @param prefix the prefix of the service's keys, ending with a slash
	 * @param grace how long instances that disappear right after an outage are kept
	 */
	ServiceView(String prefix, Duration grace) {
		this.prefix = prefix;
		this.grace = grace;
	}

	Duration grace() {
		return this.grace;
	}

	/**
	 * Replaces the view with a fresh read of the service.
	 * @param read the instances read, by key
	 * @param afterOutage whether etcd could not be reached for at least the grace before
	 * this read; starts the grace
	 */
	void replace(Map<String, ServiceInstance> read, boolean afterOutage) {
		if (afterOutage) {
			this.inGrace = true;
			this.graceEndsAt = System.nanoTime() + this.grace.toNanos();
		}
		List<ServiceInstance> sorted = new ArrayList<>(read.values());
		sorted.sort(BY_ID);
		if (inGrace()) {
			for (ServiceInstance instance : current()) {
				if (indexOf(sorted, instance.id()) < 0) {
					hold(instance);
				}
			}
		}
		this.edits = sorted;
		if (this.held != null) {
			this.held.keySet().removeIf((id) -> indexOf(sorted, id) >= 0);
		}
	}

	/**
	 * Applies a write of an instance.
	 * @param instance the instance written, read from its key under the prefix
	 */
	void put(ServiceInstance instance) {
		release(instance.id());
		List<ServiceInstance> edited = edited();
		int index = indexOf(edited, instance.id());
		if (index >= 0) {
			edited.set(index, instance);
		}
		else {
			edited.add(-index - 1, instance);
		}
	}

	/**
	 * Applies a deletion of a key; during the grace the instance is kept until it ends.
	 * @param key the key
	 */
	void deleted(String key) {
		String id = idOf(key);
		int index = (id != null) ? indexOf(current(), id) : -1;
		if (index < 0) {
			return;
		}
		ServiceInstance gone = edited().remove(index);
		if (inGrace()) {
			hold(gone);
		}
	}

	/**
	 * Drops a key at once, whatever the grace: its new value is not an instance.
	 * @param key the key
	 */
	void discard(String key) {
		String id = idOf(key);
		if (id == null) {
			return;
		}
		int index = indexOf(current(), id);
		if (index >= 0) {
			edited().remove(index);
		}
		release(id);
	}

	/**
	 * Ends the grace if its time has come, dropping the instances it kept.
	 * @return whether the view changed
	 */
	boolean endGraceIfDue() {
		if (!this.inGrace || System.nanoTime() - this.graceEndsAt < 0) {
			return false;
		}
		this.inGrace = false;
		boolean changed = this.held != null && !this.held.isEmpty();
		this.held = null;
		return changed;
	}

	/**
	 * Lists the instances, those kept by the grace included, in the order of their keys.
	 * @return an immutable list, the same one as long as the instances stay equal
	 */
	List<ServiceInstance> instances() {
		if (this.edits != null) {
			if (!this.edits.equals(this.present)) {
				this.present = List.copyOf(this.edits);
			}
			this.edits = null;
		}
		if (this.held == null || this.held.isEmpty()) {
			return this.present;
		}
		Map<String, ServiceInstance> all = new TreeMap<>(this.held);
		this.present.forEach((instance) -> all.put(instance.id(), instance));
		return List.copyOf(all.values());
	}

	private List<ServiceInstance> current() {
		return (this.edits != null) ? this.edits : this.present;
	}

	private List<ServiceInstance> edited() {
		if (this.edits == null) {
			this.edits = new ArrayList<>(this.present);
		}
		return this.edits;
	}

	private void hold(ServiceInstance instance) {
		if (this.held == null) {
			this.held = new TreeMap<>();
		}
		this.held.put(instance.id(), instance);
	}

	private void release(String id) {
		if (this.held != null) {
			this.held.remove(id);
		}
	}

	/**
	 * Finds an id in a list sorted by id.
	 * @return the index of the instance with the id, or {@code -(insertion point) - 1}
	 */
	private static int indexOf(List<ServiceInstance> sorted, String id) {
		int low = 0;
		int high = sorted.size() - 1;
		while (low <= high) {
			int middle = (low + high) >>> 1;
			int order = sorted.get(middle).id().compareTo(id);
			if (order < 0) {
				low = middle + 1;
			}
			else if (order > 0) {
				high = middle - 1;
			}
			else {
				return middle;
			}
		}
		return -low - 1;
	}

	private @Nullable String idOf(String key) {
		if (!key.startsWith(this.prefix) || key.indexOf('/', this.prefix.length()) >= 0) {
			return null;
		}
		return key.substring(this.prefix.length());
	}

	private boolean inGrace() {
		return this.inGrace && System.nanoTime() - this.graceEndsAt < 0;
	}

}
