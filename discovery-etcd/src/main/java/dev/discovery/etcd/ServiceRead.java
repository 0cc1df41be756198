package dev.discovery.etcd;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.discovery.core.ServiceInstance;
import io.etcd.jetcd.KeyValue;

/**
 * The instances of one service as etcd held them at one revision, so that a watch started
 * from the next revision misses no change. Immutable when made by {@link #decode}.
 *
 * @param revision the revision the keys were read at
 * @param instances the valid instances by key, in key order
 */
record ServiceRead(long revision, Map<String, ServiceInstance> instances) {

	/**
	 * Decodes the key-values of a service read at a revision, skipping those that are not
	 * valid instances as the reader does.
	 * @param revision the revision they were read at
	 * @param keyValues the key-values under the service's prefix, in key order
	 * @param reader decodes the values
	 * @return the read
	 */
	static ServiceRead decode(long revision, Collection<KeyValue> keyValues, InstanceReader reader) {
		Map<String, ServiceInstance> instances = new LinkedHashMap<>();
		for (KeyValue keyValue : keyValues) {
			ServiceInstance instance = reader.read(keyValue);
			if (instance != null) {
				instances.put(keyValue.getKey().toString(StandardCharsets.UTF_8), instance);
			}
		}
		return new ServiceRead(revision, Collections.unmodifiableMap(instances));
	}

	/**
	 * Lists the instances in key order.
	 * @return an immutable list
	 */
	List<ServiceInstance> list() {
		return List.copyOf(this.instances.values());
	}

}
