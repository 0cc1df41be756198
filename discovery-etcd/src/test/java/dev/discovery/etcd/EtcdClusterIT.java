package dev.discovery.etcd;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpServer;

import dev.discovery.core.DiscoveryClient;
import dev.discovery.core.DiscoveryException;
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
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A 3-member etcd cluster loses its leader, is frozen whole for 60 s while a client keeps
 * calling instances it chose from its last view (no call fails, not even while etcd expires
 * the leases it could not renew and their owners register again), freezes the member that
 * serves a watch, and a watcher falls behind a compaction; registrations survive and views
 * converge to the truth.
 */
class EtcdClusterIT {

	private static final Duration REGISTRY_LOSS = Duration.ofSeconds(60);

	private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(2);

	@RegisterExtension
	static final EtcdExtension etcd = EtcdExtension.ownCluster(3);

	private final List<EtcdBackend> backends = new ArrayList<>();

	private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

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
		cluster.members().forEach(EtcdMember::resume);
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
	void registryFrozenFor60sKeepsServingCallsFromTheLastViewAndReportsStaleThenRecovers() throws Exception {
		List<HttpServer> servers = List.of(FaultClient.serve("frozen-0"), FaultClient.serve("frozen-1"),
				FaultClient.serve("frozen-2"), FaultClient.serve("after-recovery"));
		ScheduledExecutorService caller = Executors.newSingleThreadScheduledExecutor();
		try {
			List<Registration> registrations = new ArrayList<>();
			for (HttpServer server : servers.subList(0, 3)) {
				registrations.add(this.owner.register(instance("frozen", server.getAddress().getPort())));
			}
			awaitView("frozen", registrations);
			List<ServiceInstance> before = this.client.getAllInstances("frozen");
			AtomicLong succeeded = new AtomicLong();
			List<Exception> failed = new CopyOnWriteArrayList<>();
			caller.scheduleWithFixedDelay(() -> call("frozen", succeeded, failed), 0, 10, TimeUnit.MILLISECONDS);
			List<EtcdMember> members = etcd.cluster().members();

			members.forEach(EtcdMember::pause);
			long pausedAt = System.nanoTime();
			long callsBefore = succeeded.get();
			eventually().until(this.client::isStale);
			Duration rest = REGISTRY_LOSS.minusNanos(System.nanoTime() - pausedAt);
			Awaitility.await("the last view and stale health while etcd is frozen")
				.during(rest)
				.atMost(rest.plusSeconds(1))
				.pollInterval(Duration.ofMillis(50))
				.until(() -> this.client.isStale() && this.client.getAllInstances("frozen").equals(before));
			long callsWhileFrozen = succeeded.get() - callsBefore;
			assertThat(failed).as("calls that failed while etcd was frozen").isEmpty();
			assertThat(callsWhileFrozen).as("calls that succeeded while etcd was frozen")
				.isGreaterThan(REGISTRY_LOSS.toSeconds() * 10);
			members.forEach(EtcdMember::resume);
			etcd.cluster().awaitHealthy();
			long healthyAt = System.nanoTime();

			eventually().until(() -> !this.client.isStale());
			long freshAt = System.nanoTime();
			eventually().ignoreException(DiscoveryException.class)
				.until(() -> registrations.stream()
					.allMatch((registration) -> registration.state() == RegistrationState.REGISTERED)
						&& Set.copyOf(this.owner.instances("frozen")).equals(Set.copyOf(before))
						&& this.client.getAllInstances("frozen").equals(before));
			long backAt = System.nanoTime();
			List<Registration> all = new ArrayList<>(registrations);
			all.add(this.owner.register(instance("frozen", servers.get(3).getAddress().getPort())));
			awaitView("frozen", all);
			caller.shutdown();
			assertThat(caller.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
			System.out.printf("etcd frozen %d s: %d calls succeeded meanwhile; %d failed in all; fresh %d ms and"
					+ " registrations back %d ms after etcd was healthy%n", REGISTRY_LOSS.toSeconds(), callsWhileFrozen,
					failed.size(), millisSince(healthyAt, freshAt), millisSince(healthyAt, backAt));
			assertThat(failed).as("calls that failed after SIGCONT, while etcd expired the frozen leases and their"
					+ " owners registered again").isEmpty();
		}
		finally {
			caller.shutdownNow();
			servers.forEach((server) -> server.stop(0));
		}
	}

	@Test
	void watchServedByAFrozenMemberMovesToAnotherLongBeforeGrpcDropsTheConnection() throws Exception {
		EtcdMember leader = etcd.cluster().awaitLeader();
		List<EtcdMember> followers = etcd.cluster().members().stream().filter((member) -> member != leader).toList();
		EtcdBackend writer = backend(List.of(leader.clientUrl()));
		EtcdBackend watcher = backend(followers.stream().map(EtcdMember::clientUrl).toList());
		List<Integer> streamsBefore = followers.stream().map(EtcdMember::watchStreams).toList();
		List<List<ServiceInstance>> seen = new CopyOnWriteArrayList<>();
		try (AutoCloseable watch = watcher.watch("moved", seen::add)) {
			eventually().until(() -> !seen.isEmpty() && serving(followers, streamsBefore) != null);
			EtcdMember serving = serving(followers, streamsBefore);

			serving.pause();
			long pausedAt = System.nanoTime();
			ServiceInstance added = writer.register(instance("moved", 8106)).instance();
			Awaitility.await("the new instance reaches the watch that the frozen member served")
				.atMost(EtcdClients.CONNECTION_KEEPALIVE)
				.pollInterval(Duration.ofMillis(20))
				.until(() -> seen.get(seen.size() - 1).contains(added));
			long movedMillis = millisSince(pausedAt, System.nanoTime());
			System.out.printf("watch moved off a frozen member %d ms after SIGSTOP (request timeout %d ms)%n",
					movedMillis, REQUEST_TIMEOUT.toMillis());
			assertThat(movedMillis).as("ms from SIGSTOP until the watch delivered the change")
				.isLessThanOrEqualTo(REQUEST_TIMEOUT.multipliedBy(3).toMillis());
		}
	}

	private static @Nullable EtcdMember serving(List<EtcdMember> followers, List<Integer> streamsBefore) {
		for (int i = 0; i < followers.size(); i++) {
			if (followers.get(i).watchStreams() > streamsBefore.get(i)) {
				return followers.get(i);
			}
		}
		return null;
	}

	@Test
	void viewStaysCorrectAfterACompactionPastTheWatchersRevision() throws Exception {
		EtcdMember leader = etcd.cluster().awaitLeader();
		// a follower, so that its kill starts no election that the registrations below wait out
		EtcdMember lagging = etcd.cluster().members().stream().filter((member) -> member != leader).findFirst()
			.orElseThrow();
		EtcdBackend laggingObserver = backend(List.of(lagging.clientUrl()));
		List<Registration> registrations = registerThree("compacted");
		try (DiscoveryClient laggingClient = new DiscoveryClient(laggingObserver);
				Client admin = Client.builder().endpoints(leader.clientUrl()).build()) {
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

	private void call(String service, AtomicLong succeeded, List<Exception> failed) {
		try {
			int status = this.client.execute(service, null, false, (instance) -> this.http
				.send(HttpRequest.newBuilder(instance.uri()).timeout(Duration.ofSeconds(2)).build(),
						HttpResponse.BodyHandlers.discarding())
				.statusCode());
			if (status != 200) {
				throw new IOException("status " + status);
			}
			succeeded.incrementAndGet();
		}
		catch (Exception ex) {
			failed.add(ex);
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
			.requestTimeout(REQUEST_TIMEOUT)
			.build();
		this.backends.add(backend);
		return backend;
	}

	private static long millisSince(long start, long end) {
		return TimeUnit.NANOSECONDS.toMillis(end - start);
	}

	private static ServiceInstance instance(String service, int port) {
		return ServiceInstance.builder(service, "127.0.0.1", port).build();
	}

	private static ConditionFactory eventually() {
		return Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50));
	}

}
