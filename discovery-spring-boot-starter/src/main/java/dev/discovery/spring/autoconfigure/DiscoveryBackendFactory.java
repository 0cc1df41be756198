package dev.discovery.spring.autoconfigure;

import java.time.Duration;
import java.util.Locale;
import java.util.function.Function;

import dev.discovery.core.DiscoveryBackend;

/**
 * Creates the backend of one registry module on the classpath. There is one bean per
 * available module; {@link DiscoveryAutoConfiguration} picks one according to
 * {@code discovery.backend}.
 *
 * @param kind which registry the backends are for
 * @param creator creates a backend for a registration TTL
 */
public record DiscoveryBackendFactory(DiscoveryProperties.Backend kind, Function<Duration, DiscoveryBackend> creator) {

	/**
	 * Creates the backend. A setting the backend rejects fails startup with a message that
	 * names the property to fix.
	 * @param ttl the registration TTL
	 * @return a new backend
	 * @throws InvalidDiscoveryPropertyException if a setting is invalid
	 */
	public DiscoveryBackend create(Duration ttl) {
		try {
			return this.creator.apply(ttl);
		}
		catch (IllegalArgumentException ex) {
			String prefix = "discovery." + this.kind.name().toLowerCase(Locale.ROOT);
			throw new InvalidDiscoveryPropertyException(prefix, ex.getMessage(),
					"Fix the " + prefix + ".* property that the message names.");
		}
	}

}
