package dev.discovery.core;

import java.util.Map;
import java.util.Set;

/**
 * Keeps the instances that carry every given tag and every given metadata entry, for
 * example {@code version=2}. Immutable and thread-safe.
 *
 * @param tags tags an instance must all have
 * @param metadata entries an instance's metadata must all contain, with equal values
 */
public record InstanceFilter(Set<String> tags, Map<String, String> metadata) {

	/** Keeps every instance. */
	public static final InstanceFilter ANY = new InstanceFilter(Set.of(), Map.of());

	/**
	 * Checks the tags and metadata with the rules of {@link ServiceInstance} and copies them.
	 * @throws IllegalArgumentException if a tag or an entry breaks its rule
	 */
	public InstanceFilter {
		Validation.tags(tags);
		Validation.metadata(metadata);
		tags = Set.copyOf(tags);
		metadata = Map.copyOf(metadata);
	}

	/**
	 * Tells whether an instance passes.
	 * @param instance the instance
	 * @return whether it has every tag and every metadata entry
	 */
	public boolean matches(ServiceInstance instance) {
		if (!instance.tags().containsAll(this.tags)) {
			return false;
		}
		for (Map.Entry<String, String> entry : this.metadata.entrySet()) {
			if (!entry.getValue().equals(instance.metadata().get(entry.getKey()))) {
				return false;
			}
		}
		return true;
	}

}
