package dev.discovery.etcd;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import dev.discovery.core.DiscoveryClient;
import dev.discovery.core.ServiceInstance;
import dev.discovery.etcd.testserver.EtcdCluster;
import dev.discovery.etcd.testserver.EtcdExtension;
import dev.discovery.etcd.testserver.EtcdMember;
import io.etcd.jetcd.ByteSequence;
import org.awaitility.Awaitility;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A 3-member etcd cluster, 20 instances registered by 4 client JVMs (5 each, TTL 3 s) and
 * 2 watching clients in this JVM go through four faults in sequence. After each fault,
 * measured from the moment the cluster is healthy again: within 5 s every instance is in
 * etcd under the lease its client keeps alive and both watchers' views equal the 20
 * instances, and they stay so for TTL + 2 s; every client reports fresh health; no
 * exception reached any client's application code. Where the fault loses quorum, every
 * client must have reported stale; where quorum is kept, what health did is recorded.
 * While the leader is frozen, its connections stay open and silent, so the 5 s hold only if
 * lease renewals and watches leave it without waiting for gRPC to drop them. The figures go to
 * {@code target/fault-report/etcd-faults.md}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EtcdFaultsIT {

	private static final String SERVICE = "faults";

	private static final int CLIENT_PROCESSES = 4;

	private static final int INSTANCES_PER_PROCESS = 5;

	private static final int WATCHERS = 2;

	private static final Duration TTL = Duration.ofSeconds(3);

	private static final Duration RECOVERY_LIMIT = Duration.ofSeconds(5);

	private static final Duration FAULT_DURATION = Duration.ofSeconds(20);

	private static final Duration MEASURE_DEADLINE = Duration.ofSeconds(60);

	private static final Duration STABLE = TTL.plusSeconds(2);

	private static final Duration POLL_INTERVAL = Duration.ofMillis(20);

	private static final Path REPORT_DIRECTORY = Path.of("target", "fault-report");

	@RegisterExtension
	static final EtcdExtension etcd = EtcdExtension.ownCluster(3);

	private final EtcdKeys keys = new EtcdKeys("discovery");

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(1))
		.build();

	private final JsonMapper json = JsonMapper.builder().build();

	private final List<FaultClientProcess> processes = new ArrayList<>();

	private final List<EtcdBackend> watcherBackends = new ArrayList<>();

	private final List<DiscoveryClient> watchers = new ArrayList<>();

	private final List<HealthTrace> watcherHealth = new ArrayList<>();

	private final List<Throwable> uncaught = new CopyOnWriteArrayList<>();

	private final List<Recovery> recoveries = new ArrayList<>();

	private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();

	private Thread.@Nullable UncaughtExceptionHandler previousHandler;

	private List<ServiceInstance> truth = List.of();

	private volatile int readerIndex;

	@BeforeAll
	void startClients() throws IOException {
		this.previousHandler = Thread.getDefaultUncaughtExceptionHandler();
		Thread.setDefaultUncaughtExceptionHandler((thread, ex) -> this.uncaught.add(ex));
		Files.createDirectories(REPORT_DIRECTORY);
		List<String> endpoints = etcd.endpoints();
		for (int i = 0; i < CLIENT_PROCESSES; i++) {
			this.processes.add(FaultClientProcess.start("client-" + i, SERVICE, INSTANCES_PER_PROCESS, TTL, endpoints,
					REPORT_DIRECTORY));
		}
		for (int i = 0; i < WATCHERS; i++) {
			EtcdBackend backend = EtcdBackend.builder()
				.endpoints(endpoints)
				.ttl(TTL)
				.requestTimeout(FaultClient.REQUEST_TIMEOUT)
				.build();
			this.watcherBackends.add(backend);
			this.watchers.add(new DiscoveryClient(backend));
			this.watcherHealth.add(new HealthTrace("watcher-" + i));
		}
		List<ServiceInstance> all = new ArrayList<>();
		for (FaultClientProcess process : this.processes) {
			all.addAll(process.awaitReady(Duration.ofSeconds(60)));
		}
		all.sort(Comparator.comparing(ServiceInstance::id));
		this.truth = List.copyOf(all);
		assertThat(this.truth).hasSize(CLIENT_PROCESSES * INSTANCES_PER_PROCESS);
		this.watchers.forEach((watcher) -> watcher.getAllInstances(SERVICE));
		this.sampler.scheduleWithFixedDelay(this::sampleWatcherHealth, 0, POLL_INTERVAL.toMillis(),
				TimeUnit.MILLISECONDS);
	}

	@AfterAll
	void stopClients() throws IOException {
		List<Integer> exitCodes = new ArrayList<>();
		try {
			for (FaultClientProcess process : this.processes) {
				exitCodes.add(process.stop(Duration.ofSeconds(15)));
			}
		}
		finally {
			this.processes.forEach(FaultClientProcess::close);
			this.sampler.shutdownNow();
			this.watchers.forEach(DiscoveryClient::close);
			this.watcherBackends.forEach(EtcdBackend::close);
			Thread.setDefaultUncaughtExceptionHandler(this.previousHandler);
			writeReport();
		}
		assertThat(exitCodes).containsOnly(0);
	}

	@AfterEach
	void restartKilledMembers() {
		EtcdCluster cluster = etcd.cluster();
		cluster.members().stream().filter((member) -> !member.isRunning()).forEach(cluster::restart);
	}

	@Test
	@Order(1)
	void sigkillLeaderKeepsQuorumRecordsHealthAndReregistersWithin5s() {
		awaitSteadyState();
		EtcdCluster cluster = etcd.cluster();
		EtcdMember leader = cluster.awaitLeader();
		long faultAt = step("SIGKILL leader " + leader.name());
		leader.kill();
		cluster.awaitLeader();
		cluster.awaitHealthy();
		assertRecovered(measure("SIGKILL the leader", faultAt, false));
		step("restart " + leader.name());
		cluster.restart(leader);
		cluster.awaitHealthy();
		assertHolds(STABLE, "registered and watched after the killed leader rejoined", this::registeredAndWatched);
	}

	@Test
	@Order(2)
	void sigstopLeaderFor20sKeepsQuorumRecordsHealthAndReregistersWithin5sOfSigcont() {
		awaitSteadyState();
		EtcdCluster cluster = etcd.cluster();
		EtcdMember paused = cluster.awaitLeader();
		List<EtcdMember> others = cluster.members().stream().filter((member) -> member != paused).toList();
		long faultAt = step("SIGSTOP leader " + paused.name());
		paused.pause();
		try {
			Awaitility.await("a leader among the members that run")
				.atMost(Duration.ofSeconds(30))
				.pollInterval(POLL_INTERVAL)
				.until(() -> others.stream().anyMatch(EtcdMember::isLeader)
						&& others.stream().allMatch(EtcdMember::isHealthy));
			assertRecovered(measure("SIGSTOP the leader: while paused", faultAt, false));
			assertHolds(Duration.ofNanos(Math.max(0, faultAt + FAULT_DURATION.toNanos() - System.nanoTime())),
					"registered and watched while the leader is paused", this::registeredAndWatched);
		}
		finally {
			paused.resume();
		}
		long resumedAt = step("SIGCONT " + paused.name());
		cluster.awaitHealthy();
		assertRecovered(measure("SIGSTOP the leader: after SIGCONT at 20 s", resumedAt, false));
	}

	@Test
	@Order(3)
	void killTwoOfThreeFor20sLosesQuorumReportsStaleAndReregistersWithin5s() {
		awaitSteadyState();
		EtcdCluster cluster = etcd.cluster();
		EtcdMember leader = cluster.awaitLeader();
		EtcdMember follower = cluster.members().stream().filter((member) -> member != leader).findFirst().orElseThrow();
		long faultAt = step("SIGKILL " + leader.name() + " and " + follower.name());
		leader.kill();
		follower.kill();
		assertHolds(FAULT_DURATION, "both watchers keep the last view without quorum", this::watchersConverged);
		step("restart " + leader.name() + " and " + follower.name());
		cluster.restart(leader);
		cluster.restart(follower);
		cluster.awaitHealthy();
		assertRecovered(measure("kill 2 of 3 members for 20 s", faultAt, true));
	}

	@Test
	@Order(4)
	void restartWholeClusterLosesQuorumReportsStaleAndReregistersWithin5s() {
		awaitSteadyState();
		EtcdCluster cluster = etcd.cluster();
		long faultAt = step("SIGKILL every member");
		cluster.members().forEach(EtcdMember::kill);
		Awaitility.await("every client reports stale")
			.atMost(Duration.ofSeconds(30))
			.pollInterval(POLL_INTERVAL)
			.until(() -> healthTraces().stream().allMatch((trace) -> trace.wentStaleSince(faultAt)));
		assertThat(watchersConverged()).as("both watchers keep the last view while etcd is down").isTrue();
		step("restart every member");
		cluster.members().forEach(cluster::restart);
		cluster.awaitHealthy();
		assertRecovered(measure("restart the whole cluster on its data dirs", faultAt, true));
	}

	private void awaitSteadyState() {
		assertThat(etcd.cluster().members()).allMatch(EtcdMember::isRunning);
		etcd.cluster().awaitHealthy();
		Awaitility.await("every instance registered and watched, every client fresh")
			.atMost(Duration.ofSeconds(30))
			.pollInterval(POLL_INTERVAL)
			.until(() -> registeredAndWatched() && allFresh());
	}

	/**
	 * Measures from now, when the cluster is healthy again, until every instance is
	 * registered, both watchers equal the truth and every client is fresh, and all three
	 * have held for {@link #STABLE}; the times are those of the last start of each.
	 */
	private Recovery measure(String fault, long faultAt, boolean quorumLost) {
		long healthyAt = System.nanoTime();
		Streak registered = new Streak();
		Streak converged = new Streak();
		Streak fresh = new Streak();
		Awaitility.await(fault + ": recovery")
			.atMost(MEASURE_DEADLINE)
			.pollInterval(POLL_INTERVAL)
			.until(() -> {
				long now = System.nanoTime();
				registered.update(registeredInEtcd(), now);
				converged.update(watchersConverged(), now);
				fresh.update(allFresh(), now);
				return registered.heldFor(now) >= STABLE.toNanos() && converged.heldFor(now) >= STABLE.toNanos()
						&& fresh.heldFor(now) >= STABLE.toNanos();
			});
		List<HealthTrace> traces = healthTraces();
		long freshAt = traces.stream()
			.mapToLong((trace) -> trace.freshAgainSince(faultAt).orElse(healthyAt))
			.max()
			.orElse(healthyAt);
		Recovery recovery = new Recovery(fault, quorumLost, millis(healthyAt - faultAt),
				traces.stream().filter((trace) -> trace.wentStaleSince(faultAt)).map(HealthTrace::client).toList(),
				traces.size(), millis(registered.since() - healthyAt), millis(converged.since() - healthyAt),
				millis(Math.max(0, freshAt - healthyAt)));
		this.recoveries.add(recovery);
		step("measured " + recovery.row());
		return recovery;
	}

	private void assertRecovered(Recovery recovery) {
		assertRecovered(recovery, RECOVERY_LIMIT);
	}

	private void assertRecovered(Recovery recovery, Duration limit) {
		assertThat(recovery.registeredMillis()).as("%s: ms from healthy until all %d instances were registered",
				recovery.fault(), this.truth.size()).isLessThanOrEqualTo(limit.toMillis());
		assertThat(recovery.convergedMillis()).as("%s: ms from healthy until both watchers equalled the truth",
				recovery.fault()).isLessThanOrEqualTo(limit.toMillis());
		if (recovery.quorumLost()) {
			assertThat(recovery.staleClients()).as("%s: clients that reported stale", recovery.fault())
				.containsExactlyInAnyOrderElementsOf(healthTraces().stream().map(HealthTrace::client).toList());
		}
		assertThat(healthTraces()).as("%s: clients fresh at the end", recovery.fault()).allMatch(HealthTrace::isFresh);
		assertThat(this.processes).as("client processes").allMatch(FaultClientProcess::isAlive);
		assertThat(this.processes.stream().flatMap((process) -> process.exceptions().stream()))
			.as("exceptions that reached the clients' application code")
			.isEmpty();
		assertThat(this.uncaught).as("exceptions uncaught in this JVM").isEmpty();
	}

	private void assertHolds(Duration duration, String what, BooleanSupplier condition) {
		long end = System.nanoTime() + duration.toNanos();
		Awaitility.await(what).atMost(duration.plusSeconds(10)).pollInterval(POLL_INTERVAL).until(() -> {
			assertThat(condition.getAsBoolean()).as(what).isTrue();
			return System.nanoTime() >= end;
		});
	}

	private boolean registeredAndWatched() {
		return registeredInEtcd() && watchersConverged();
	}

	/**
	 * Tells whether etcd holds exactly the 20 instance keys, each under the lease its
	 * client keeps alive, and each client says all its registrations are registered.
	 */
	private boolean registeredInEtcd() {
		Map<String, Long> expected = new HashMap<>();
		for (FaultClientProcess process : this.processes) {
			if (!process.allRegistered()) {
				return false;
			}
			process.instances().forEach((instance) -> expected.put(key(this.keys.instance(instance)), process.lease()));
		}
		return expected.equals(leasesByKey());
	}

	private boolean watchersConverged() {
		return this.watchers.stream().allMatch((watcher) -> watcher.getAllInstances(SERVICE).equals(this.truth));
	}

	private boolean allFresh() {
		return healthTraces().stream().allMatch(HealthTrace::isFresh);
	}

	private List<HealthTrace> healthTraces() {
		List<HealthTrace> traces = new ArrayList<>(this.watcherHealth);
		this.processes.forEach((process) -> traces.add(process.health()));
		return traces;
	}

	private void sampleWatcherHealth() {
		for (int i = 0; i < WATCHERS; i++) {
			this.watcherHealth.get(i).record(!this.watchers.get(i).isStale());
		}
	}

	/**
	 * Reads the service's keys and their leases with a linearizable range request to
	 * etcd's JSON gateway, from the member that answered last or else the next one.
	 * @return the lease of every key, or {@code null} if that member did not answer
	 */
	private @Nullable Map<String, Long> leasesByKey() {
		List<EtcdMember> members = etcd.cluster().members();
		int index = this.readerIndex;
		byte[] prefix = this.keys.service(SERVICE).getBytes();
		byte[] end = prefix.clone();
		end[end.length - 1]++;
		String body = "{\"key\":\"" + base64(prefix) + "\",\"range_end\":\"" + base64(end) + "\"}";
		HttpRequest request = HttpRequest.newBuilder(URI.create(members.get(index).clientUrl() + "/v3/kv/range"))
			.timeout(Duration.ofSeconds(1))
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build();
		try {
			HttpResponse<String> response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() != 200) {
				throw new IOException("status " + response.statusCode());
			}
			Map<String, Long> leases = new HashMap<>();
			for (JsonNode kv : this.json.readTree(response.body()).path("kvs")) {
				leases.put(new String(Base64.getDecoder().decode(kv.path("key").asString()), StandardCharsets.UTF_8),
						Long.parseLong(kv.path("lease").asString("0")));
			}
			return leases;
		}
		catch (IOException ex) {
			this.readerIndex = (index + 1) % members.size();
			return null;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return null;
		}
	}

	private void writeReport() throws IOException {
		StringBuilder report = new StringBuilder("# etcd faults\n\n");
		report.append(String.format(Locale.ROOT, "3-member etcd cluster; %d instances from %d client JVMs (TTL %d s) "
				+ "and %d watching clients. Times in ms, measured from the moment the cluster was healthy again; "
				+ "a registration counts when its key is in etcd under the lease its client keeps alive.%n%n",
				this.truth.size(), CLIENT_PROCESSES, TTL.toSeconds(), WATCHERS));
		report.append("| fault | quorum lost | fault → healthy | clients that reported stale | healthy → all registered "
				+ "| healthy → both watchers equal the truth | healthy → every client fresh |\n");
		report.append("|---|---|---:|---|---:|---:|---:|\n");
		this.recoveries.forEach((recovery) -> report.append(recovery.row()).append('\n'));
		Files.writeString(REPORT_DIRECTORY.resolve("etcd-faults.md"), report);
		System.out.print(report);
	}

	private static long step(String step) {
		System.out.println(LocalTime.now() + " etcd fault step: " + step);
		return System.nanoTime();
	}

	private static String key(ByteSequence key) {
		return key.toString(StandardCharsets.UTF_8);
	}

	private static String base64(byte[] bytes) {
		return Base64.getEncoder().encodeToString(bytes);
	}

	private static long millis(long nanos) {
		return TimeUnit.NANOSECONDS.toMillis(nanos);
	}

	/**
	 * Since when a polled condition has held without interruption.
	 */
	private static final class Streak {

		private long since = -1;

		void update(boolean holds, long now) {
			if (!holds) {
				this.since = -1;
			}
			else if (this.since < 0) {
				this.since = now;
			}
		}

		long since() {
			return this.since;
		}

		long heldFor(long now) {
			return (this.since < 0) ? -1 : now - this.since;
		}

	}

	private record Recovery(String fault, boolean quorumLost, long faultToHealthyMillis, List<String> staleClients,
			int clients, long registeredMillis, long convergedMillis, long freshMillis) {

		String row() {
			String stale = staleClients().isEmpty() ? "none" : staleClients().size() + " of " + clients();
			return String.format(Locale.ROOT, "| %s | %s | %d | %s | %d | %d | %s |", fault(),
					quorumLost() ? "yes" : "no", faultToHealthyMillis(), stale, registeredMillis(), convergedMillis(),
					staleClients().isEmpty() ? "stayed fresh" : Long.toString(freshMillis()));
		}

	}

}
