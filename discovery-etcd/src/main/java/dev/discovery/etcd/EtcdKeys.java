package dev.discovery.etcd;

import java.nio.charset.StandardCharsets;

import dev.discovery.core.ServiceInstance;
import dev.discovery.core.Validation;
import io.etcd.jetcd.ByteSequence;
import org.jspecify.annotations.Nullable;

/**
 * The key layout {@code /{namespace}/services/{service}/{instanceId}}. Immutable.
 */
final class EtcdKeys {

	private final String servicesPrefix;

	EtcdKeys(String namespace) {
		this.servicesPrefix = "/" + namespace + "/services/";
	}

	/**
	 * The prefix under which every instance of every service lives.
	 * @return the prefix, ending with a slash
	 */
	ByteSequence allServices() {
		return bytes(this.servicesPrefix);
	}

	/**
	 * The prefix under which the instances of one service live.
	 * @param service a validated, lower-case service name
	 * @return the prefix, ending with a slash
	 */
	ByteSequence service(String service) {
		return bytes(this.servicesPrefix + service + "/");
	}

	/**
	 * The key of one instance.
	 * @param instance the instance
	 * @return the key
	 */
	ByteSequence instance(ServiceInstance instance) {
		return bytes(this.servicesPrefix + instance.service() + "/" + instance.id());
	}

	/**
	 * Parses a key into the service and instance id it names.
	 * @param key a key read from etcd, under the namespace
	 * @return the names
	 * @throws IllegalArgumentException if the key does not have the layout of an instance
	 * key, or a name in it is invalid or not in lower case; the message says which
	 */
	InstanceKey parse(String key) {
		String rest = key.startsWith(this.servicesPrefix) ? key.substring(this.servicesPrefix.length()) : "";
		int slash = rest.indexOf('/');
		if (slash < 0 || rest.indexOf('/', slash + 1) >= 0) {
			throw new IllegalArgumentException(
					"the key does not have the form " + this.servicesPrefix + "<service>/<instance-id>");
		}
		String service = rest.substring(0, slash);
		String id = rest.substring(slash + 1);
		return new InstanceKey(lowerCase("service name", service, Validation.serviceName(service)),
				lowerCase("instance id", id, Validation.instanceId(id)));
	}

	private static String lowerCase(String field, String segment, String valid) {
		if (!valid.equals(segment)) {
			throw Validation.invalid(field, segment,
					"must be in lower case in a key, as every name is stored; register it as '" + valid + "'");
		}
		return valid;
	}

	static ByteSequence bytes(String value) {
		return ByteSequence.from(value, StandardCharsets.UTF_8);
	}

	/**
	 * The names in an instance key.
	 *
	 * @param service the service name
	 * @param id the instance id
	 */
	record InstanceKey(String service, String id) {
	}

}
