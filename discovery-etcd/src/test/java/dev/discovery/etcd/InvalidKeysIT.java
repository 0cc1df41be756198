package dev.discovery.etcd;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import dev.discovery.core.DiscoveryClient;
import dev.discovery.core.ServiceInstance;
import dev.discovery.etcd.testserver.CapturedLog;
import dev.discovery.etcd.testserver.EtcdExtension;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keys under the namespace that are not valid instances (foreign values, malformed JSON,
 * values of 1 MiB) are skipped, each with one short warning however often they are read,
 * whether they were there before a read or arrive through a watch; no call throws, and the
 * valid instances next to them stay in every view.
 */
class InvalidKeysIT {

	private static final int ONE_MIB = 1024 * 1024;

	private static final String INSTANCE_JSON = "{\"v\":1,\"service\":\"billing\",\"id\":\"%s\",\"host\":\"h\",\"port\":1,"
			+ "\"status\":\"UP\"%s}";

	@RegisterExtension
	static final EtcdExtension etcd = EtcdExtension.anyEtcd();

	@Test
	void foreignMalformedAndHugeValuesAreSkippedWithOneWarningEach() throws Exception {
		String namespace = "invalid-" + System.nanoTime();
		String prefix = "/" + namespace + "/services/billing/";
		try (CapturedLog log = new CapturedLog();
				Client writer = Client.builder().endpoints(etcd.endpoints().toArray(String[]::new)).build();
				EtcdBackend backend = EtcdBackend.builder().endpoints(etcd.endpoints()).namespace(namespace).build();
				DiscoveryClient client = new DiscoveryClient(backend)) {
			ServiceInstance valid = ServiceInstance.builder("billing", "127.0.0.1", 9000).build();
			backend.register(valid);
			Map<String, byte[]> beforeReading = badValues("");
			put(writer, prefix, beforeReading);
			AtomicReference<List<ServiceInstance>> watched = new AtomicReference<>();

			try (AutoCloseable watch = backend.watch("billing", watched::set)) {
				Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(watched.get()).containsExactly(valid));
				assertThat(client.getAllInstances("billing")).containsExactly(valid);
				Map<String, byte[]> whileWatching = badValues("watched-");
				put(writer, prefix, whileWatching);
				ServiceInstance marker = ServiceInstance.builder("billing", "127.0.0.1", 9001).build();
				backend.register(marker);

				Awaitility.await()
					.atMost(Duration.ofSeconds(5))
					.untilAsserted(() -> assertThat(watched.get()).containsExactlyInAnyOrder(valid, marker));
				Awaitility.await()
					.atMost(Duration.ofSeconds(5))
					.untilAsserted(() -> assertThat(client.getAllInstances("billing")).containsExactlyInAnyOrder(valid, marker));
				for (int i = 0; i < 3; i++) {
					assertThat(backend.instances("billing")).containsExactlyInAnyOrder(valid, marker);
				}
				assertThat(backend.services()).containsExactly("billing");
				assertThat(client.getServices()).containsExactly("billing");
				assertThat(watched.get()).containsExactlyInAnyOrder(valid, marker);
				assertOneShortWarningEach(log, prefix, beforeReading);
				assertOneShortWarningEach(log, prefix, whileWatching);
			}
			assertThat(log.linesContaining("Exception")).isEmpty();
		}
	}

	@Test
	void keysWithUpperCaseNamesAreSkippedWithOneWarningThatSaysHowToWriteThem() throws Exception {
		String namespace = "upper-" + System.nanoTime();
		String services = "/" + namespace + "/services/";
		try (CapturedLog log = new CapturedLog();
				Client writer = Client.builder().endpoints(etcd.endpoints().toArray(String[]::new)).build();
				EtcdBackend backend = EtcdBackend.builder().endpoints(etcd.endpoints()).namespace(namespace).build()) {
			ServiceInstance valid = ServiceInstance.builder("billing", "127.0.0.1", 9000).build();
			backend.register(valid);
			Map<String, byte[]> upperCase = new LinkedHashMap<>();
			upperCase.put("Billing/billing-1", utf8(INSTANCE_JSON.formatted("billing-1", "")));
			upperCase.put("billing/Billing-2", utf8(INSTANCE_JSON.formatted("billing-2", "")));
			put(writer, services, upperCase);

			for (int i = 0; i < 3; i++) {
				assertThat(backend.services()).containsExactly("billing");
				assertThat(backend.instances("billing")).containsExactly(valid);
			}

			assertOneShortWarningEach(log, services, upperCase);
			assertThat(log.linesContaining("must be in lower case")).hasSize(2)
				.anyMatch((line) -> line.contains("register it as 'billing'"))
				.anyMatch((line) -> line.contains("register it as 'billing-2'"));
		}
	}

	private static Map<String, byte[]> badValues(String keyPrefix) {
		Map<String, byte[]> values = new LinkedHashMap<>();
		values.put("not-json", utf8("{oops"));
		values.put("truncated", utf8(INSTANCE_JSON.formatted(keyPrefix + "truncated", "").substring(0, 40)));
		values.put("plain-text", utf8("hello, I belong to another system"));
		values.put("binary", new byte[] { 0, (byte) 0xff, (byte) 0xfe, 0x7f, (byte) 0x80, 0 });
		values.put("empty", new byte[0]);
		values.put("json-null", utf8("null"));
		values.put("json-array", utf8("[1,2,3]"));
		values.put("json-string", utf8("\"billing\""));
		values.put("foreign-object", utf8("{\"name\":\"billing\",\"address\":\"10.0.0.1:80\"}"));
		values.put("wrong-fields", utf8("{\"v\":1,\"service\":\"billing\",\"id\":\"" + keyPrefix
				+ "wrong-fields\",\"host\":\"bad host\",\"port\":70000,\"status\":\"UP\"}"));
		values.put("other-id", utf8(INSTANCE_JSON.formatted("someone-else", "")));
		values.put("future", utf8(INSTANCE_JSON.formatted(keyPrefix + "future", "").replace("\"v\":1", "\"v\":2")));
		values.put("nested/deeper", utf8("{}"));
		values.put("huge-garbage", utf8("x".repeat(ONE_MIB)));
		String hugeValue = "y".repeat(ONE_MIB - 200);
		values.put("huge-json", utf8(INSTANCE_JSON.formatted(keyPrefix + "huge-json", ",\"metadata\":{\"k\":\"" + hugeValue + "\"}")));
		Map<String, byte[]> prefixed = new LinkedHashMap<>();
		values.forEach((key, value) -> prefixed.put(keyPrefix + key, value));
		return prefixed;
	}

	private static void assertOneShortWarningEach(CapturedLog log, String prefix, Map<String, byte[]> values) {
		for (String key : values.keySet()) {
			List<String> warnings = log.linesContaining("WARN")
				.stream()
				.filter((line) -> line.contains("'" + prefix + key + "'"))
				.toList();
			assertThat(warnings).as("warnings about %s", key).hasSize(1);
			assertThat(warnings.get(0)).as("warning about %s", key).hasSizeLessThan(800);
		}
	}

	private static void put(Client client, String prefix, Map<String, byte[]> values) throws Exception {
		for (Map.Entry<String, byte[]> entry : values.entrySet()) {
			client.getKVClient()
				.put(ByteSequence.from(prefix + entry.getKey(), StandardCharsets.UTF_8), ByteSequence.from(entry.getValue()))
				.get(10, TimeUnit.SECONDS);
		}
	}

	private static byte[] utf8(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

}
