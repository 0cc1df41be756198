package dev.discovery.etcd;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.discovery.core.ServiceInstance;
import dev.discovery.etcd.EtcdKeys.InstanceKey;
import io.etcd.jetcd.KeyValue;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns key-values read from etcd into instances, skipping those that are not valid
 * instances with one warning per key and version, however often they are read again.
 * Thread-safe.
 */
final class InstanceReader {

	private static final Logger logger = LoggerFactory.getLogger(InstanceReader.class);

	private final EtcdKeys keys;

	private final InstanceCodec codec;

	private final Map<String, Long> warnedRevisions = new ConcurrentHashMap<>();

	InstanceReader(EtcdKeys keys, InstanceCodec codec) {
		this.keys = keys;
		this.codec = codec;
	}

	/**
	 * Reads one key-value.
	 * @param keyValue the key-value
	 * @return the instance, or {@code null} if the key-value is not a valid instance
	 */
	@Nullable ServiceInstance read(KeyValue keyValue) {
		String key = keyValue.getKey().toString(StandardCharsets.UTF_8);
		try {
			ServiceInstance instance = decode(key, keyValue.getValue().getBytes());
			this.warnedRevisions.remove(key);
			return instance;
		}
		catch (IllegalArgumentException ex) {
			warnOnce(key, keyValue.getModRevision(), ex);
			return null;
		}
	}

	/**
	 * Reads the names in the key of a key-value read without its value.
	 * @param keyValue the key-value
	 * @return the names, or {@code null} if the key is not an instance key with valid names
	 */
	@Nullable InstanceKey names(KeyValue keyValue) {
		String key = keyValue.getKey().toString(StandardCharsets.UTF_8);
		try {
			return this.keys.parse(key);
		}
		catch (IllegalArgumentException ex) {
			warnOnce(key, keyValue.getModRevision(), ex);
			return null;
		}
	}

	/**
	 * Forgets the warning of a deleted key, so that a new invalid value is reported again.
	 * @param key the deleted key
	 */
	void deleted(String key) {
		this.warnedRevisions.remove(key);
	}

	private void warnOnce(String key, long revision, IllegalArgumentException problem) {
		Long warned = this.warnedRevisions.put(key, revision);
		if (warned == null || warned != revision) {
			logger.warn("Ignoring etcd key '{}', which is not a valid instance: {}", key, problem.getMessage());
		}
	}

	private ServiceInstance decode(String key, byte[] value) {
		InstanceKey names = this.keys.parse(key);
		ServiceInstance instance = this.codec.decode(value);
		if (!instance.service().equals(names.service()) || !instance.id().equals(names.id())) {
			throw new IllegalArgumentException("the value names service '" + instance.service() + "' and id '"
					+ instance.id() + "', which do not match the key");
		}
		return instance;
	}

}
