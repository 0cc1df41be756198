package dev.discovery.etcd;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
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
 * Keys under the namespace that are not valid instances are skipped, each with one warning,
 * however often they are read; the valid instances next to them are served.
 */
class InvalidKeysIT {

	@RegisterExtension
	static final EtcdExtension etcd = EtcdExtension.anyEtcd();

	@Test
	void foreignKeysAndInvalidValuesAreSkippedWithOneWarningEach() throws Exception {
		String namespace = "invalid-" + System.nanoTime();
		String prefix = "/" + namespace + "/services/billing/";
		try (CapturedLog log = new CapturedLog();
				Client writer = Client.builder().endpoints(etcd.endpoints().toArray(String[]::new)).build();
				EtcdBackend backend = EtcdBackend.builder().endpoints(etcd.endpoints()).namespace(namespace).build();
				DiscoveryClient client = new DiscoveryClient(backend)) {
			ServiceInstance valid = ServiceInstance.builder("billing", "127.0.0.1", 9000).build();
			backend.register(valid);
			put(writer, prefix + "not-json", "{oops");
			put(writer, prefix + "wrong-fields", "{\"v\":1,\"service\":\"billing\",\"id\":\"wrong-fields\",\"host\":\"bad host\",\"port\":70000,\"status\":\"UP\"}");
			put(writer, prefix + "other-id", "{\"v\":1,\"service\":\"billing\",\"id\":\"someone-else\",\"host\":\"h\",\"port\":1,\"status\":\"UP\"}");
			put(writer, prefix + "future", "{\"v\":2,\"service\":\"billing\",\"id\":\"future\",\"host\":\"h\",\"port\":1,\"status\":\"UP\"}");
			put(writer, prefix + "nested/deeper", "{}");
			AtomicReference<List<ServiceInstance>> watched = new AtomicReference<>();

			try (AutoCloseable watch = backend.watch("billing", watched::set)) {
				Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(watched.get()).containsExactly(valid));
				for (int i = 0; i < 3; i++) {
					assertThat(backend.instances("billing")).containsExactly(valid);
				}
				assertThat(client.getAllInstances("billing")).containsExactly(valid);
				assertThat(backend.services()).containsExactly("billing");
			}

			for (String key : List.of("not-json", "wrong-fields", "other-id", "future", "nested/deeper")) {
				assertThat(log.linesContaining("WARN").stream().filter((line) -> line.contains(prefix + key + "'")))
					.as("warnings about %s", key)
					.hasSize(1);
			}
			assertThat(log.linesContaining("Exception")).isEmpty();
		}
	}

	private static void put(Client client, String key, String value) throws Exception {
		client.getKVClient()
			.put(ByteSequence.from(key, StandardCharsets.UTF_8), ByteSequence.from(value, StandardCharsets.UTF_8))
			.get(5, TimeUnit.SECONDS);
	}

}
