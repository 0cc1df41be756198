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
	 * @param key a key read from etcd
	 * @return the names, or {@code null} if the key does not have the layout of an instance
	 * key with valid, lower-case names
	 */
	@Nullable InstanceKey parse(String key) {
		if (!key.startsWith(this.servicesPrefix)) {
			return null;
		}
		String rest = key.substring(this.servicesPrefix.length());
		int slash = rest.indexOf('/');
		if (slash < 0 || rest.indexOf('/', slash + 1) >= 0) {
			return null;
		}
		String service = rest.substring(0, slash);
		String id = rest.substring(slash + 1);
		try {
			if (!Validation.serviceName(service).equals(service) || !Validation.instanceId(id).equals(id)) {
				return null;
			}
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
		return new InstanceKey(service, id);
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
