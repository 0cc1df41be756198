package dev.discovery.consul;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.discovery.core.ServiceInstance;
import dev.discovery.core.Validation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Converts a {@link ServiceInstance} to Consul's service registration and a health entry
 * back to an instance. {@code secure} and {@code zone} travel in {@code Meta} under the
 * reserved {@code discovery-} prefix, and only when set, so that they take as few of
 * Consul's 64 {@code Meta} keys as possible; the weight is {@code Weights.Passing}.
 */
final class InstanceMapping {

	static final int MAX_META_KEYS = 64;

	static final String SECURE_KEY = "discovery-secure";

	static final String ZONE_KEY = "discovery-zone";

	private static final String RESERVED_PREFIX = "discovery-";

	private static final Logger logger = LoggerFactory.getLogger(InstanceMapping.class);

	private InstanceMapping() {
	}

	/**
	 * Builds the registration body.
	 * @throws IllegalArgumentException if the metadata and the backend's own keys together
	 * exceed Consul's 64 {@code Meta} keys
	 */
	static ConsulJson.ServiceRegistration registration(ServiceInstance instance, ConsulJson.CheckDefinition check) {
		Map<String, String> meta = new LinkedHashMap<>(instance.metadata());
		if (instance.secure()) {
			meta.put(SECURE_KEY, "true");
		}
		if (instance.zone() != null) {
			meta.put(ZONE_KEY, instance.zone());
		}
		if (meta.size() > MAX_META_KEYS) {
			int own = meta.size() - instance.metadata().size();
			throw Validation.invalid("metadata", instance.metadata().size() + " entries",
					"must have at most " + (MAX_META_KEYS - own) + " entries with Consul, which allows " + MAX_META_KEYS
							+ " Meta keys and needs " + own + " for secure and zone");
		}
		return new ConsulJson.ServiceRegistration(instance.id(), instance.service(), instance.host(), instance.port(),
				List.copyOf(instance.tags()), meta, new ConsulJson.Weights(instance.weight(), 1), check);
	}

	/**
	 * Reads an instance from a health entry, or nothing (with a warning) when the entry was
	 * not written by this backend and breaks the rules of {@link ServiceInstance}.
	 */
	static Optional<ServiceInstance> instance(ConsulJson.HealthEntry entry) {
		ConsulJson.Service service = entry.service();
		if (service == null || service.id() == null || service.service() == null) {
			return Optional.empty();
		}
		try {
			Map<String, String> meta = (service.meta() != null) ? service.meta() : Map.of();
			Map<String, String> metadata = new LinkedHashMap<>();
			meta.forEach((key, value) -> {
				if (!key.startsWith(RESERVED_PREFIX)) {
					metadata.put(key, value);
				}
			});
			return Optional.of(new ServiceInstance(service.service(), service.id(), address(entry, service),
					service.port(), Boolean.parseBoolean(meta.get(SECURE_KEY)), meta.get(ZONE_KEY),
					(service.weights() != null) ? service.weights().passing() : 1,
					(service.tags() != null) ? new HashSet<>(service.tags()) : Set.of(), metadata,
					StatusMapping.fromChecks(service.id(), (entry.checks() != null) ? entry.checks() : List.of())));
		}
		catch (IllegalArgumentException ex) {
			logger.warn("Skipping Consul instance '{}' of service '{}': {}", service.id(), service.service(),
					ex.getMessage());
			return Optional.empty();
		}
	}

	static List<ServiceInstance> instances(List<ConsulJson.HealthEntry> entries) {
		List<ServiceInstance> instances = new ArrayList<>(entries.size());
		for (ConsulJson.HealthEntry entry : entries) {
			instance(entry).ifPresent(instances::add);
		}
		return List.copyOf(instances);
	}

	private static String address(ConsulJson.HealthEntry entry, ConsulJson.Service service) {
		if (service.address() != null && !service.address().isEmpty()) {
			return service.address();
		}
		return (entry.node() != null && entry.node().address() != null) ? entry.node().address() : "";
	}

}
