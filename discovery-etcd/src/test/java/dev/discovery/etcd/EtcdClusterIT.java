package dev.discovery.etcd;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import dev.discovery.core.DiscoveryClient;
import dev.discovery.core.Registration;
import dev.discovery.core.RegistrationState;
import dev.discovery.core.ServiceInstance;
import dev.discovery.etcd.testserver.EtcdCluster;
import dev.discovery.etcd.testserver.EtcdExtension;
import dev.discovery.etcd.testserver.EtcdMember;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.CompactOption;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A 3-member etcd cluster loses its leader, then its quorum, and a watcher falls behind a
 * compaction; registrations survive and views converge to the truth.
 */
class EtcdClusterIT {

	@RegisterExtension
	static final EtcdExtension etcd = EtcdExtension.ownCluster(3);

	private final List<EtcdBackend> backends = new ArrayList<>();

	private EtcdBackend owner;

	private EtcdBackend observer;

	private DiscoveryClient client;

	@BeforeEach
	void backends() {
		this.owner = backend(etcd.endpoints());
		this.observer = backend(etcd.endpoints());
		this.client = new DiscoveryClient(this.observer);
	}

	@AfterEach
	void restoreCluster() {
		this.client.close();
		this.backends.forEach(EtcdBackend::close);
		EtcdCluster cluster = etcd.cluster();
		cluster.members().stream().filter((member) -> !member.isRunning()).forEach(cluster::restart);
		cluster.awaitHealthy();
	}

	@Test
	void leaderKillLosesNothing() throws Exception {
		List<Registration> registrations = registerThree("leaderless");
		awaitView("leaderless", registrations);
		List<ServiceInstance> original = registrations.stream().map(Registration::instance).toList();
		List<List<ServiceInstance>> watched = new CopyOnWriteArrayList<>();
		try (AutoCloseable watch = this.observer.watch("leaderless", watched::add)) {
			eventually().until(() -> !watched.isEmpty());

			etcd.cluster().awaitLeader().kill();
			etcd.cluster().awaitLeader();
			Registration afterFailover = this.owner.register(instance("leaderless", 8104));

			List<Registration> all = new ArrayList<>(registrations);
			all.add(afterFailover);
			awaitView("leaderless", all);
			eventually().untilAsserted(
					() -> assertThat(all).extracting(Registration::state).containsOnly(RegistrationState.REGISTERED));
			assertThat(watched).allSatisfy((list) -> assertThat(list).containsAll(original));
			assertThat(this.client.getAllInstances("leaderless")).containsAll(original);
		}
	}

	@Test
	void quorumLossKeepsTheLastViewAndReportsStaleThenRecovers() {
		List<Registration> registrations = registerThree("quorum");
		awaitView("quorum", registrations);
		List<ServiceInstance> before = this.client.getAllInstances("quorum");
		List<EtcdMember> members = etcd.cluster().members();

		members.get(0).kill();
		members.get(1).kill();

		eventually().until(this.client::isStale);
		eventually().until(() -> !this.owner.health().reachable());
		assertThat(this.client.getAllInstances("quorum")).isEqualTo(before);

		etcd.cluster().restart(members.get(0));
		etcd.cluster().restart(members.get(1));
		etcd.cluster().awaitHealthy();
		Registration afterRecovery = this.owner.register(instance("quorum", 8104));
		List<Registration> all = new ArrayList<>(registrations);
		all.add(afterRecovery);
		awaitView("quorum", all);
		eventually().untilAsserted(() -> {
			assertThat(this.client.isStale()).isFalse();
			assertThat(all).extracting(Registration::state).containsOnly(RegistrationState.REGISTERED);
		});
	}

	@Test
	void viewStaysCorrectAfterACompactionPastTheWatchersRevision() throws Exception {
		EtcdMember lagging = etcd.cluster().members().get(2);
		EtcdBackend laggingObserver = backend(List.of(lagging.clientUrl()));
		List<Registration> registrations = registerThree("compacted");
		try (DiscoveryClient laggingClient = new DiscoveryClient(laggingObserver);
				Client admin = Client.builder().endpoints(etcd.cluster().members().get(0).clientUrl()).build()) {
			eventually().until(() -> laggingClient.getAllInstances("compacted").size() == 3);

			lagging.kill();
			registrations.get(0).close();
			List<Registration> truth = List.of(registrations.get(1), registrations.get(2),
					this.owner.register(instance("compacted", 8105)));
			long revision = admin.getKVClient()
				.put(ByteSequence.from("/unrelated/key", StandardCharsets.UTF_8), ByteSequence.EMPTY)
				.get(5, TimeUnit.SECONDS)
				.getHeader()
				.getRevision();
			admin.getKVClient().compact(revision, CompactOption.builder().withCompactPhysical(true).build())
				.get(5, TimeUnit.SECONDS);
			etcd.cluster().restart(lagging);

			eventually().untilAsserted(() -> assertThat(laggingClient.getAllInstances("compacted"))
				.containsExactlyInAnyOrderElementsOf(truth.stream().map(Registration::instance).toList()));
		}
	}

	private List<Registration> registerThree(String service) {
		return List.of(this.owner.register(instance(service, 8101)), this.owner.register(instance(service, 8102)),
				this.owner.register(instance(service, 8103)));
	}

	private void awaitView(String service, List<Registration> registrations) {
		List<ServiceInstance> truth = registrations.stream().map(Registration::instance).toList();
		eventually().untilAsserted(() -> {
			assertThat(this.client.getAllInstances(service)).containsExactlyInAnyOrderElementsOf(truth);
			assertThat(this.observer.instances(service)).containsExactlyInAnyOrderElementsOf(truth);
		});
	}

	private EtcdBackend backend(List<String> endpoints) {
		EtcdBackend backend = EtcdBackend.builder()
			.endpoints(endpoints)
			.ttl(Duration.ofSeconds(5))
			.requestTimeout(Duration.ofSeconds(2))
			.build();
		this.backends.add(backend);
		return backend;
	}

	private static ServiceInstance instance(String service, int port) {
		return ServiceInstance.builder(service, "127.0.0.1", port).build();
	}

	private static ConditionFactory eventually() {
		return Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50));
	}

}
