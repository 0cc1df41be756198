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
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Converts a {@link ServiceInstance} to Consul's service registration and a health entry
 * back to an instance. Zone, https and weight travel in the {@code Meta} keys
 * {@value #ZONE_KEY}, {@value #SECURE_KEY} and {@value #WEIGHT_KEY}, the keys Spring Cloud
 * Consul reads and writes, and only when they differ from the defaults (no zone, http,
 * weight 1), so that they take as few of Consul's 64 {@code Meta} keys as possible; the
 * weight is also {@code Weights.Passing}, which Consul's DNS uses. Reading takes those keys,
 * then the {@code discovery-zone} and {@code discovery-secure} keys of earlier versions,
 * then {@code Weights.Passing}; keys with the {@code discovery-} prefix never reach the
 * metadata.
 */
final class InstanceMapping {

	static final int MAX_META_KEYS = 64;

	static final String SECURE_KEY = "secure";

	static final String ZONE_KEY = "zone";

	static final String WEIGHT_KEY = "weight";

	private static final List<String> OWN_KEYS = List.of(ZONE_KEY, SECURE_KEY, WEIGHT_KEY);

	private static final String LEGACY_SECURE_KEY = "discovery-secure";

	private static final String LEGACY_ZONE_KEY = "discovery-zone";

	private static final String RESERVED_PREFIX = "discovery-";

	private static final Logger logger = LoggerFactory.getLogger(InstanceMapping.class);

	private InstanceMapping() {
	}

	/**
	 * Builds the registration body.
	 * @throws IllegalArgumentException if the metadata uses a key that carries a field
	 * ({@value #ZONE_KEY}, {@value #SECURE_KEY}, {@value #WEIGHT_KEY}), or the metadata and
	 * those keys together exceed Consul's 64 {@code Meta} keys
	 */
	static ConsulJson.ServiceRegistration registration(ServiceInstance instance, ConsulJson.CheckDefinition check) {
		for (String key : OWN_KEYS) {
			if (instance.metadata().containsKey(key)) {
				throw Validation.invalid("metadata key", key, "is reserved with Consul, where it carries the instance's "
						+ key + "; set the " + key + " of the instance instead");
			}
		}
		Map<String, String> meta = new LinkedHashMap<>(instance.metadata());
		if (instance.secure()) {
			meta.put(SECURE_KEY, "true");
		}
		if (instance.zone() != null) {
			meta.put(ZONE_KEY, instance.zone());
		}
		if (instance.weight() != 1) {
			meta.put(WEIGHT_KEY, Integer.toString(instance.weight()));
		}
		if (meta.size() > MAX_META_KEYS) {
			int own = meta.size() - instance.metadata().size();
			throw Validation.invalid("metadata", instance.metadata().size() + " entries",
					"must have at most " + (MAX_META_KEYS - own) + " entries with Consul, which allows " + MAX_META_KEYS
							+ " Meta keys and needs " + own + " for secure, zone and weight");
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
				if (!key.startsWith(RESERVED_PREFIX) && !OWN_KEYS.contains(key)) {
					metadata.put(key, value);
				}
			});
			return Optional.of(new ServiceInstance(service.service(), service.id(), address(entry, service),
					service.port(), Boolean.parseBoolean(either(meta, SECURE_KEY, LEGACY_SECURE_KEY)),
					either(meta, ZONE_KEY, LEGACY_ZONE_KEY), weight(meta, service),
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

	private static @Nullable String either(Map<String, String> meta, String key, String legacyKey) {
		String value = meta.get(key);
		return (value != null) ? value : meta.get(legacyKey);
	}

	private static int weight(Map<String, String> meta, ConsulJson.Service service) {
		String weight = meta.get(WEIGHT_KEY);
		if (weight != null) {
			try {
				return Integer.parseInt(weight.trim());
			}
			catch (NumberFormatException ex) {
				throw Validation.invalid("weight", weight, "must be a whole number");
			}
		}
		return (service.weights() != null) ? service.weights().passing() : 1;
	}

	private static String address(ConsulJson.HealthEntry entry, ConsulJson.Service service) {
		if (service.address() != null && !service.address().isEmpty()) {
			return service.address();
		}
		return (entry.node() != null && entry.node().address() != null) ? entry.node().address() : "";
	}

}
