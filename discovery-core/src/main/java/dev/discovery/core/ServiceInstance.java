package dev.discovery.core;

import java.net.URI;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.jspecify.annotations.Nullable;

/**
 * One instance of a service: where it listens and how it describes itself. Immutable, and
 * valid by construction: the canonical constructor checks every field with
 * {@link Validation} and stores service name, id and zone in lower case, tags and metadata
 * as sorted unmodifiable copies.
 * <p>
 * A client caches every instance of every service it watches, so the constructor keeps
 * what instances have in common once: service name, host, zone, tags and metadata keys
 * are {@linkplain String#intern() interned} (the JVM's string table holds them weakly, so
 * a value no instance uses any more is collected, and there is no map of ours to bound),
 * and empty tags and metadata are the shared {@link Set#of()} and {@link Map#of()}.
 *
 * @param service the service name
 * @param id the instance id, unique within the service
 * @param host the host name or IP address
 * @param port the port, 1-65535
 * @param secure whether the instance speaks https
 * @param zone the zone, or {@code null}
 * @param weight the load-balancing weight, 1-1000
 * @param tags the tags
 * @param metadata free-form key/value pairs
 * @param status the serving status
 */
public record ServiceInstance(String service, String id, String host, int port, boolean secure,
		@Nullable String zone, int weight, Set<String> tags, Map<String, String> metadata, InstanceStatus status) {

	/**
	 * Validates and normalises every field.
	 * @throws IllegalArgumentException if a field breaks its rule; the message names it
	 * @throws NullPointerException if {@code status}, {@code tags} or {@code metadata} is null
	 */
	public ServiceInstance {
		service = Validation.serviceName(service).intern();
		id = Validation.instanceId(id);
		host = Validation.host(host).intern();
		Validation.port("port", port);
		zone = Validation.zone(zone);
		if (zone != null) {
			zone = zone.intern();
		}
		Validation.weight(weight);
		Objects.requireNonNull(status, "status must not be null");
		Validation.tags(Objects.requireNonNull(tags, "tags must not be null"));
		Validation.metadata(Objects.requireNonNull(metadata, "metadata must not be null"));
		tags = sharedCopy(tags);
		metadata = sharedCopy(metadata);
	}

	private static Set<String> sharedCopy(Set<String> tags) {
		if (tags.isEmpty()) {
			return Set.of();
		}
		Set<String> sorted = new TreeSet<>();
		tags.forEach((tag) -> sorted.add(tag.intern()));
		return Collections.unmodifiableSet(sorted);
	}

	private static Map<String, String> sharedCopy(Map<String, String> metadata) {
		if (metadata.isEmpty()) {
			return Map.of();
		}
		Map<String, String> sorted = new TreeMap<>();
		metadata.forEach((key, value) -> sorted.put(key.intern(), value));
		return Collections.unmodifiableMap(sorted);
	}

	/**
	 * Starts a builder with the id {@code <service>-<host>-<port>}, status {@link InstanceStatus#UP}
	 * and weight 1.
	 * @param service the service name
	 * @param host the host name or IP address
	 * @param port the port
	 * @return a new builder
	 */
	public static Builder builder(String service, String host, int port) {
		return new Builder(service, host, port);
	}

	/**
	 * Returns a builder pre-filled with this instance's fields, for deriving a changed copy.
	 * @return a new builder
	 */
	public Builder toBuilder() {
		return new Builder(this.service, this.host, this.port).id(this.id)
			.secure(this.secure)
			.zone(this.zone)
			.weight(this.weight)
			.tags(this.tags)
			.metadata(this.metadata)
			.status(this.status);
	}

	/**
	 * Returns the base URI, {@code http(s)://host:port}; IPv6 hosts are bracketed.
	 * @return the base URI
	 */
	public URI uri() {
		String authorityHost = (this.host.indexOf(':') >= 0) ? "[" + this.host + "]" : this.host;
		return URI.create((this.secure ? "https" : "http") + "://" + authorityHost + ":" + this.port);
	}

	/**
	 * Returns a copy with another status, or this instance if the status is the same.
	 * @param status the new status
	 * @return an instance with the given status
	 */
	public ServiceInstance withStatus(InstanceStatus status) {
		if (status == this.status) {
			return this;
		}
		return new ServiceInstance(this.service, this.id, this.host, this.port, this.secure, this.zone, this.weight,
				this.tags, this.metadata, status);
	}

	/**
	 * Collects the fields of a {@link ServiceInstance}; {@link #build()} validates them.
	 * Not thread-safe.
	 */
	public static final class Builder {

		private final String service;

		private final String host;

		private final int port;

		private @Nullable String id;

		private boolean secure;

		private @Nullable String zone;

		private int weight = 1;

		private final Set<String> tags = new LinkedHashSet<>();

		private final Map<String, String> metadata = new LinkedHashMap<>();

		private InstanceStatus status = InstanceStatus.UP;

		private Builder(String service, String host, int port) {
			this.service = service;
			this.host = host;
			this.port = port;
		}

		/**
		 * Sets the instance id.
		 * @param id the id; {@code null} restores the default {@code <service>-<host>-<port>}
		 * @return this builder
		 */
		public Builder id(@Nullable String id) {
			this.id = id;
			return this;
		}

		/**
		 * Sets whether the instance speaks https.
		 * @param secure {@code true} for https
		 * @return this builder
		 */
		public Builder secure(boolean secure) {
			this.secure = secure;
			return this;
		}

		/**
		 * Sets the zone.
		 * @param zone the zone, or {@code null} for none
		 * @return this builder
		 */
		public Builder zone(@Nullable String zone) {
			this.zone = zone;
			return this;
		}

		/**
		 * Sets the load-balancing weight.
		 * @param weight 1-1000
		 * @return this builder
		 */
		public Builder weight(int weight) {
			this.weight = weight;
			return this;
		}

		/**
		 * Adds a tag.
		 * @param tag the tag
		 * @return this builder
		 */
		public Builder tag(String tag) {
			this.tags.add(tag);
			return this;
		}

		/**
		 * Adds tags.
		 * @param tags the tags
		 * @return this builder
		 */
		public Builder tags(Collection<String> tags) {
			this.tags.addAll(tags);
			return this;
		}

		/**
		 * Adds a metadata entry, replacing one with the same key.
		 * @param key the key
		 * @param value the value
		 * @return this builder
		 */
		public Builder metadata(String key, String value) {
			this.metadata.put(key, value);
			return this;
		}

		/**
		 * Adds metadata entries, replacing those with the same keys.
		 * @param metadata the entries
		 * @return this builder
		 */
		public Builder metadata(Map<String, String> metadata) {
			this.metadata.putAll(metadata);
			return this;
		}

		/**
		 * Sets the status.
		 * @param status the status
		 * @return this builder
		 */
		public Builder status(InstanceStatus status) {
			this.status = status;
			return this;
		}

		/**
		 * Validates the fields and builds the instance.
		 * @return the instance
		 * @throws IllegalArgumentException if a field breaks its rule; the message names it
		 */
		public ServiceInstance build() {
			String instanceId = (this.id != null) ? this.id
					: (this.service + "-" + this.host + "-" + this.port).replace(':', '-');
			return new ServiceInstance(this.service, instanceId, this.host, this.port, this.secure, this.zone,
					this.weight, this.tags, this.metadata, this.status);
		}

	}

}
