package dev.discovery.spring;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import dev.discovery.core.DiscoveryBackend;
import dev.discovery.core.DiscoveryClient;
import dev.discovery.core.InstanceStatus;
import dev.discovery.core.Registration;
import dev.discovery.core.ServiceInstance;
import dev.discovery.core.Validation;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * The {@code discovery} actuator endpoint: this application's registration and every known
 * service with its instances, one service, and a write operation that sets this
 * application's status (for example {@code OUT_OF_SERVICE} to drain it). Metadata values
 * whose keys contain password, secret, token or key are masked. The write operation changes
 * what traffic reaches the application, so access is read-only unless
 * {@code management.endpoint.discovery.access=unrestricted} is set; expose it only behind
 * authentication.
 */
@Endpoint(id = "discovery", defaultAccess = Access.READ_ONLY)
public class DiscoveryEndpoint {

	private static final String MASK = "******";

	private static final List<String> SECRET_KEY_PARTS = List.of("password", "secret", "token", "key");

	private final DiscoveryBackend backend;

	private final DiscoveryClient client;

	private final @Nullable SelfRegistration selfRegistration;

	/**
	 * Creates the endpoint.
	 * @param backend the registry backend, read for services this application does not watch
	 * @param client the discovery client, whose snapshots are used where it has them
	 * @param selfRegistration this application's registration, or {@code null} when it does not register
	 */
	public DiscoveryEndpoint(DiscoveryBackend backend, DiscoveryClient client, @Nullable SelfRegistration selfRegistration) {
		this.backend = backend;
		this.client = client;
		this.selfRegistration = selfRegistration;
	}

	/**
	 * Describes this application's registration and every service the registry knows.
	 * @return the description
	 */
	@ReadOperation
	public DiscoveryDescription discovery() {
		Set<String> names = new TreeSet<>(this.client.getWatchedServices());
		names.addAll(this.client.getServices());
		Map<String, List<InstanceDescription>> services = new TreeMap<>();
		for (String name : names) {
			services.put(name, describe(instancesOf(name)));
		}
		return new DiscoveryDescription(self(), this.client.isStale(), services);
	}

	/**
	 * Lists the instances of one service, in every status.
	 * @param service the service name
	 * @return the instances
	 */
	@ReadOperation
	public List<InstanceDescription> service(@Selector String service) {
		return describe(instancesOf(Validation.serviceName(service)));
	}

	/**
	 * Sets this application's registered status.
	 * @param status {@code UP}, {@code DOWN}, {@code OUT_OF_SERVICE} or {@code STARTING}
	 * @return this application's registration after the change
	 * @throws IllegalArgumentException if the status is unknown
	 */
	@WriteOperation
	public @Nullable SelfDescription setStatus(String status) {
		InstanceStatus parsed = parse(status);
		if (this.selfRegistration == null) {
			throw new IllegalStateException("This application does not register itself (discovery.registration.enabled=false)");
		}
		this.selfRegistration.setStatus(parsed);
		return self();
	}

	private List<ServiceInstance> instancesOf(String service) {
		return this.client.getWatchedServices().contains(service) ? this.client.getAllInstances(service)
				: this.backend.instances(service);
	}

	private @Nullable SelfDescription self() {
		return (this.selfRegistration != null)
				? this.selfRegistration.registration().map(DiscoveryEndpoint::describe).orElse(null) : null;
	}

	private static InstanceStatus parse(String status) {
		try {
			return InstanceStatus.valueOf(status.trim().toUpperCase(Locale.ROOT));
		}
		catch (IllegalArgumentException ex) {
			throw Validation.invalid("status", status, "must be one of " + List.of(InstanceStatus.values()));
		}
	}

	private static SelfDescription describe(Registration registration) {
		return new SelfDescription(registration.state().name(), describe(registration.instance()));
	}

	private static List<InstanceDescription> describe(List<ServiceInstance> instances) {
		return instances.stream().map(DiscoveryEndpoint::describe).toList();
	}

	private static InstanceDescription describe(ServiceInstance instance) {
		Map<String, String> metadata = new TreeMap<>();
		instance.metadata().forEach((key, value) -> metadata.put(key, isSecret(key) ? MASK : value));
		return new InstanceDescription(instance.service(), instance.id(), instance.uri().toString(), instance.status(),
				instance.zone(), instance.weight(), instance.tags(), metadata);
	}

	/**
	 * Tells whether a metadata key names a secret, whose value is masked.
	 * @param key the metadata key
	 * @return whether the value must not be shown
	 */
	public static boolean isSecret(String key) {
		String lower = key.toLowerCase(Locale.ROOT);
		return SECRET_KEY_PARTS.stream().anyMatch(lower::contains);
	}

	/**
	 * What {@code GET /actuator/discovery} returns.
	 *
	 * @param self this application's registration, or {@code null} when not registered
	 * @param stale whether the view is that of an unreachable registry
	 * @param services every known service with its instances
	 */
	public record DiscoveryDescription(@Nullable SelfDescription self, boolean stale,
			Map<String, List<InstanceDescription>> services) {
	}

	/**
	 * This application's registration.
	 *
	 * @param state the registration state
	 * @param instance the registered instance
	 */
	public record SelfDescription(String state, InstanceDescription instance) {
	}

	/**
	 * One instance, with secret metadata masked.
	 *
	 * @param service the service name
	 * @param id the instance id
	 * @param uri the base URI
	 * @param status the status
	 * @param zone the zone, or {@code null}
	 * @param weight the weight
	 * @param tags the tags
	 * @param metadata the metadata, secrets masked
	 */
	public record InstanceDescription(String service, String id, String uri, InstanceStatus status,
			@Nullable String zone, int weight, Set<String> tags, Map<String, String> metadata) {
	}

}
