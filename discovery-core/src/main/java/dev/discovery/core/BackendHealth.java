package dev.discovery.core;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A backend's report on its connection to the registry. Immutable.
 *
 * @param backend the backend's name, for example {@code etcd}
 * @param reachable whether the registry answered the backend's most recent request
 * @param error why the registry is unreachable, or {@code null} when it is reachable
 * @param details backend-specific facts (leader, lease, registrations), never secrets
 */
public record BackendHealth(String backend, boolean reachable, @Nullable String error, Map<String, Object> details) {

	/**
	 * Copies the details into an unmodifiable map that keeps their order.
	 */
	public BackendHealth {
		details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
	}

	/**
	 * A report of a reachable registry.
	 * @param backend the backend's name
	 * @param details backend-specific facts
	 * @return the report
	 */
	public static BackendHealth reachable(String backend, Map<String, Object> details) {
		return new BackendHealth(backend, true, null, details);
	}

	/**
	 * A report of an unreachable registry.
	 * @param backend the backend's name
	 * @param error why it is unreachable
	 * @param details backend-specific facts
	 * @return the report
	 */
	public static BackendHealth unreachable(String backend, String error, Map<String, Object> details) {
		return new BackendHealth(backend, false, error, details);
	}

}
