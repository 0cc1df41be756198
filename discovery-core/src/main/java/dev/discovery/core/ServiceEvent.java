package dev.discovery.core;

import org.jspecify.annotations.Nullable;

/**
 * One change to one instance, found by comparing consecutive snapshots of a service.
 * Immutable.
 *
 * @param type what changed
 * @param previous the instance before the change, {@code null} for {@link Type#REGISTERED}
 * @param current the instance after the change, {@code null} for {@link Type#DEREGISTERED}
 */
public record ServiceEvent(Type type, @Nullable ServiceInstance previous, @Nullable ServiceInstance current) {

	/**
	 * Checks that the instances present match the type.
	 * @throws IllegalArgumentException if an instance the type needs is missing
	 */
	public ServiceEvent {
		boolean needsPrevious = type != Type.REGISTERED;
		boolean needsCurrent = type != Type.DEREGISTERED;
		if ((needsPrevious && previous == null) || (needsCurrent && current == null)) {
			throw new IllegalArgumentException(type + " event needs " + (needsPrevious ? "a previous" : "")
					+ (needsPrevious && needsCurrent ? " and " : "") + (needsCurrent ? "a current" : "") + " instance");
		}
	}

	/**
	 * Returns the instance the event is about: the current one, or the previous one when it
	 * left.
	 * @return the instance
	 */
	public ServiceInstance instance() {
		return (this.current != null) ? this.current : java.util.Objects.requireNonNull(this.previous);
	}

	/**
	 * The kinds of change.
	 */
	public enum Type {

		/** A new instance appeared. */
		REGISTERED,

		/** An instance left, by deregistration or expiry. */
		DEREGISTERED,

		/** An instance changed something other than its status. */
		UPDATED,

		/** An instance changed its status, and nothing else. */
		STATUS_CHANGED

	}

}
