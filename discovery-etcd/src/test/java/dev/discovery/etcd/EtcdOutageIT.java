package dev.discovery.etcd;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import dev.discovery.core.DiscoveryClient;
import dev.discovery.core.DiscoveryException;
import dev.discovery.core.InstanceStatus;
import dev.discovery.core.Registration;
import dev.discovery.core.RegistrationState;
import dev.discovery.core.ServiceInstance;
import dev.discovery.etcd.testserver.EtcdExtension;
import dev.discovery.etcd.testserver.EtcdMember;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * etcd is SIGKILLed, stays down for a while (shorter and longer than the TTL), and is
 * restarted on the same data directory. Within 5 s of etcd being healthy, every open
 * registration is back and another client's view equals the truth; meanwhile that client
 * keeps its last view, and no exception reaches the application.
 */
class EtcdOutageIT {

	private static final Duration TTL = Duration.ofSeconds(4);

	private static final Duration RECOVERY_DEADLINE = Duration.ofSeconds(5);

	@RegisterExtension
	static final EtcdExtension etcd = EtcdExtension.ownCluster(1);

	private final List<Throwable> uncaught = new CopyOnWriteArrayList<>();

	private Thread.UncaughtExceptionHandler previousHandler;

	private EtcdBackend owner;

	private EtcdBackend observer;

	@BeforeEach
	void backends() {
		this.previousHandler = Thread.getDefaultUncaughtExceptionHandler();
		Thread.setDefaultUncaughtExceptionHandler((thread, ex) -> this.uncaught.add(ex));
		this.owner = backend();
		this.observer = backend();
	}

	@AfterEach
	void close() {
		this.owner.close();
		this.observer.close();
		Thread.setDefaultUncaughtExceptionHandler(this.previousHandler);
	}

	@ParameterizedTest(name = "etcd down for {0} s")
	@ValueSource(ints = { 3, 15 })
	void registrationsAndViewsRecoverAfterEtcdRestarts(int downSeconds) {
		String service = "outage-" + downSeconds;
		List<Registration> registrations = List.of(this.owner.register(instance(service, 8001)),
				this.owner.register(instance(service, 8002)), this.owner.register(instance(service, 8003)));
		List<List<ServiceInstance>> watched = new CopyOnWriteArrayList<>();
		try (DiscoveryClient client = new DiscoveryClient(this.observer);
				AutoCloseable watch = this.observer.watch(service, watched::add)) {
			Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> client.getInstances(service).size() == 3);
			EtcdMember member = etcd.cluster().member();

			member.kill();
			assertThatExceptionOfType(DiscoveryException.class)
				.isThrownBy(() -> this.owner.register(instance(service, 8009)))
				.withMessageContaining("etcd [http://127.0.0.1:");
			registrations.get(0).setStatus(InstanceStatus.OUT_OF_SERVICE);
			Awaitility.await().atMost(Duration.ofSeconds(5)).until(client::isStale);
			assertThat((long) this.owner.health().details().get("errors")).isPositive();
			Awaitility.await()
				.during(Duration.ofSeconds(downSeconds).minusSeconds(1))
				.atMost(Duration.ofSeconds(downSeconds + 1))
				.until(() -> ports(client.getAllInstances(service)).equals(Set.of(8001, 8002, 8003)));
			etcd.cluster().restart(member);
			etcd.cluster().awaitHealthy();
			long healthyAt = System.nanoTime();

			Awaitility.await()
				.atMost(RECOVERY_DEADLINE)
				.pollInterval(Duration.ofMillis(20))
				.untilAsserted(() -> {
					assertThat(registrations).extracting(Registration::state).containsOnly(RegistrationState.REGISTERED);
					List<ServiceInstance> truth = registrations.stream().map(Registration::instance).toList();
					assertThat(this.observer.instances(service)).containsExactlyInAnyOrderElementsOf(truth);
					assertThat(client.getAllInstances(service)).containsExactlyInAnyOrderElementsOf(truth);
					assertThat(watched.get(watched.size() - 1)).containsExactlyInAnyOrderElementsOf(truth);
					assertThat(client.isStale()).isFalse();
				});
			System.out.printf("etcd down %d s: registrations and views recovered %d ms after etcd was healthy%n",
					downSeconds, Duration.ofNanos(System.nanoTime() - healthyAt).toMillis());
			assertThat(client.getInstances(service)).extracting(ServiceInstance::port).containsExactly(8002, 8003);
		}
		catch (Exception ex) {
			throw new AssertionError(ex);
		}
		assertThat(this.uncaught).isEmpty();
	}

	private static EtcdBackend backend() {
		return EtcdBackend.builder()
			.endpoints(etcd.endpoints())
			.ttl(TTL)
			.requestTimeout(Duration.ofSeconds(2))
			.build();
	}

	private static ServiceInstance instance(String service, int port) {
		return ServiceInstance.builder(service, "127.0.0.1", port).build();
	}

	private static Set<Integer> ports(List<ServiceInstance> instances) {
		return instances.stream().map(ServiceInstance::port).collect(Collectors.toSet());
	}

}
