package dev.discovery.etcd;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import dev.discovery.etcd.testserver.EtcdCluster;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Proves that jetcd works on the netty, gRPC and protobuf versions this build resolves
 * (those of the Spring Boot BOM): put, get, watch with a progress request, and a lease kept
 * alive by single KeepAlive requests, against real etcd.
 */
class JetcdCompatibilityIT {

	private static EtcdCluster etcd;

	@BeforeAll
	static void startEtcd() {
		etcd = EtcdCluster.start(1);
	}

	@AfterAll
	static void stopEtcd() {
		etcd.close();
	}

	@Test
	void putGetWatchAndKeepAliveWork() throws Exception {
		try (Client client = Client.builder().endpoints(etcd.endpoints().toArray(String[]::new)).build()) {
			ByteSequence prefix = bytes("/compat/");
			List<WatchEvent> events = new CopyOnWriteArrayList<>();
			List<Long> progressRevisions = new CopyOnWriteArrayList<>();
			Watch.Watcher watcher = client.getWatchClient()
				.watch(prefix, WatchOption.builder().isPrefix(true).build(), (response) -> {
					events.addAll(response.getEvents());
					if (response.isProgressNotify()) {
						progressRevisions.add(response.getHeader().getRevision());
					}
				});
			long lease = client.getLeaseClient().grant(2).get(5, TimeUnit.SECONDS).getID();
			client.getKVClient()
				.put(bytes("/compat/a"), bytes("1"), PutOption.builder().withLeaseId(lease).build())
				.get(5, TimeUnit.SECONDS);

			assertThat(client.getKVClient().get(prefix, GetOption.builder().isPrefix(true).build()).get(5, TimeUnit.SECONDS).getKvs())
				.hasSize(1);
			Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> events.size() == 1);
			long outlivedTtlAt = System.nanoTime() + Duration.ofSeconds(3).toNanos();
			Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(500)).until(() -> {
				assertThat(client.getLeaseClient().keepAliveOnce(lease).get(5, TimeUnit.SECONDS).getTTL()).isEqualTo(2);
				return System.nanoTime() > outlivedTtlAt;
			});
			assertThat(client.getKVClient().get(prefix, GetOption.builder().isPrefix(true).build()).get(5, TimeUnit.SECONDS).getKvs())
				.as("the key of a lease renewed past its TTL by single KeepAlive requests")
				.hasSize(1);
			Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> {
				watcher.requestProgress();
				return !progressRevisions.isEmpty();
			});
			assertThat(progressRevisions).allMatch((revision) -> revision > 0);
		}
	}

	private static ByteSequence bytes(String value) {
		return ByteSequence.from(value, StandardCharsets.UTF_8);
	}

}
