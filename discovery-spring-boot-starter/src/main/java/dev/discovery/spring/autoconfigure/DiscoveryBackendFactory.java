package dev.discovery.spring.autoconfigure;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import dev.discovery.core.DiscoveryBackend;
import dev.discovery.core.InvalidValueException;

/**
 * Creates the backend of one registry module on the classpath. There is one bean per
 * available module; {@link DiscoveryAutoConfiguration} picks one according to
 * {@code discovery.backend}.
 *
 * @param kind which registry the backends are for
 * @param creator creates a backend for a registration TTL
 * @param properties the property that supplies each setting of the backend's builder, by
 * the setting's name as the builder's errors give it ({@link InvalidValueException#getField()})
 */
public record DiscoveryBackendFactory(DiscoveryProperties.Backend kind, Function<Duration, DiscoveryBackend> creator,
		Map<String, String> properties) {

	/**
	 * Creates a factory whose backend has no settings from properties besides the TTL.
	 * @param kind which registry the backends are for
	 * @param creator creates a backend for a registration TTL
	 */
	public DiscoveryBackendFactory(DiscoveryProperties.Backend kind, Function<Duration, DiscoveryBackend> creator) {
		this(kind, creator, Map.of());
	}

	/**
	 * Creates the backend. A setting the backend rejects fails startup with a message that
	 * names the property to fix, its value and the rule.
	 * @param ttl the registration TTL
	 * @return a new backend
	 * @throws InvalidDiscoveryPropertyException if a setting is invalid
	 */
	public DiscoveryBackend create(Duration ttl) {
		try {
			return this.creator.apply(ttl);
		}
		catch (IllegalArgumentException ex) {
			String property = (ex instanceof InvalidValueException invalid) ? this.properties.get(invalid.getField())
					: null;
			if (property != null) {
				throw new InvalidDiscoveryPropertyException(property, ex.getMessage(),
						"Change " + property + " to a value that follows the rule above.");
			}
			String prefix = "discovery." + this.kind.name().toLowerCase(Locale.ROOT);
			throw new InvalidDiscoveryPropertyException(prefix, ex.getMessage(), "Fix the " + prefix
					+ ".* property, or the connection details bean, that supplies the value the message names.");
		}
	}

}
