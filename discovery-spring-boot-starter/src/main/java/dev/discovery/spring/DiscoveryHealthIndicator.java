package dev.discovery.spring;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import dev.discovery.core.BackendHealth;
import dev.discovery.core.DiscoveryBackend;
import dev.discovery.core.DiscoveryClient;
import dev.discovery.core.Registration;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Health of service discovery, contributed as {@code discovery}. DOWN only when the registry
 * is unreachable and this application has never had a view of it; otherwise UP, with
 * {@code stale: true} while the last view of an unreachable registry is served. Never waits
 * on the network.
 */
public class DiscoveryHealthIndicator implements HealthIndicator {

	private final DiscoveryBackend backend;

	private final DiscoveryClient client;

	private final @Nullable SelfRegistration selfRegistration;

	/**
	 * Creates the indicator.
	 * @param backend the registry backend
	 * @param client the discovery client whose view is reported
	 * @param selfRegistration this application's registration, or {@code null} when it does not register
	 */
	public DiscoveryHealthIndicator(DiscoveryBackend backend, DiscoveryClient client,
			@Nullable SelfRegistration selfRegistration) {
		this.backend = backend;
		this.client = client;
		this.selfRegistration = selfRegistration;
	}

	@Override
	public Health health() {
		BackendHealth backendHealth = this.backend.health();
		int watched = this.client.getWatchedServices().size();
		boolean hasView = watched > 0;
		Health.Builder health = (backendHealth.reachable() || hasView) ? Health.up() : Health.down();
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("backend", backendHealth.backend());
		details.put("reachable", backendHealth.reachable());
		if (backendHealth.error() != null) {
			details.put("error", backendHealth.error());
		}
		details.put("stale", !backendHealth.reachable() && hasView);
		details.put("registration", registration());
		details.put("watchedServices", watched);
		details.putAll(backendHealth.details());
		return health.withDetails(details).build();
	}

	private Object registration() {
		Optional<Registration> registration = (this.selfRegistration != null) ? this.selfRegistration.registration()
				: Optional.empty();
		return registration.map((current) -> (Object) Map.of("id", current.instance().id(), "state",
				current.state().name(), "status", current.instance().status().name()))
			.orElse("none");
	}

}
