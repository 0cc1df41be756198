package dev.discovery.consul;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import com.sun.net.httpserver.HttpServer;
import dev.discovery.consul.testserver.ConsulAgentExtension;
import dev.discovery.core.DiscoveryClient;
import dev.discovery.core.InstanceStatus;
import dev.discovery.core.Registration;
import dev.discovery.core.ServiceInstance;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Consul-specific behaviour against a real agent: what is written, how statuses and
 * maintenance mode read back, how fast a change travels through a blocking query, and
 * what a watch costs.
 */
class ConsulBackendIT {

	@RegisterExtension
	static final ConsulAgentExtension consul = ConsulAgentExtension.shared();

	private final List<AutoCloseable> closeables = new ArrayList<>();

	private final String prefix = "i" + UUID.randomUUID().toString().substring(0, 8) + "-";

	@AfterEach
	void close() throws Exception {
		for (int i = this.closeables.size() - 1; i >= 0; i--) {
			this.closeables.get(i).close();
		}
	}

	@Test
	void changeReachesAnotherClientThroughTheBlockingQueryWellBeforeTheWait() {
		ConsulBackend owner = backend(ConsulBackend.builder().ttl(Duration.ofSeconds(3)));
		ConsulBackend observer = backend(ConsulBackend.builder().watchWait(Duration.ofMinutes(5)));
		DiscoveryClient client = track(new DiscoveryClient(observer));
		String service = this.prefix + "fast";
		assertThat(client.getInstances(service)).isEmpty();
		owner.register(instance(service, 7001));
		eventually().until(() -> client.getInstances(service).size() == 1);

		long start = System.nanoTime();
		owner.register(instance(service, 7002));
		Awaitility.await()
			.atMost(Duration.ofSeconds(2))
			.pollInterval(Duration.ofMillis(5))
			.until(() -> client.getInstances(service).size() == 2);
		Duration propagation = Duration.ofNanos(System.nanoTime() - start);

		System.out.println("Consul change propagation to another client's DiscoveryClient: " + propagation.toMillis() + " ms");
		assertThat(propagation).isLessThan(Duration.ofSeconds(2));
	}

	@Test
	void maintenanceModeHidesTheInstanceAndBringsItBack() throws Exception {
		ConsulBackend owner = backend(ConsulBackend.builder().ttl(Duration.ofSeconds(3)));
		DiscoveryClient client = track(new DiscoveryClient(backend(ConsulBackend.builder())));
		String service = this.prefix + "drain";
		ServiceInstance instance = instance(service, 7101);
		Registration registration = owner.register(instance);
		eventually().until(() -> client.getInstances(service).equals(List.of(instance)));

		registration.setStatus(InstanceStatus.OUT_OF_SERVICE);
		eventually().until(() -> client.getInstances(service).isEmpty());
		assertThat(client.getAllInstances(service)).extracting(ServiceInstance::status)
			.containsExactly(InstanceStatus.OUT_OF_SERVICE);
		assertThat(consul.call("GET", "/v1/agent/checks", "")).contains("_service_maintenance:" + instance.id());

		registration.setStatus(InstanceStatus.UP);
		eventually().until(() -> client.getInstances(service).equals(List.of(instance)));
		assertThat(consul.call("GET", "/v1/agent/checks", "")).doesNotContain("_service_maintenance:" + instance.id());

		consul.call("PUT", "/v1/agent/service/maintenance/" + instance.id() + "?enable=true&reason=operator", "");
		eventually().until(() -> client.getInstances(service).isEmpty());
		assertThat(client.getAllInstances(service)).extracting(ServiceInstance::status)
			.containsExactly(InstanceStatus.OUT_OF_SERVICE);
		consul.call("PUT", "/v1/agent/service/maintenance/" + instance.id() + "?enable=false", "");
		eventually().until(() -> client.getInstances(service).equals(List.of(instance)));
	}

	@Test
	void ttlCheckStatesReadBackAsStartingAndDown() {
		ConsulBackend owner = backend(ConsulBackend.builder().ttl(Duration.ofSeconds(3)));
		ConsulBackend observer = backend(ConsulBackend.builder());
		String service = this.prefix + "states";
		Registration registration = owner.register(instance(service, 7201).withStatus(InstanceStatus.STARTING));
		eventually().until(() -> statuses(observer, service).equals(List.of(InstanceStatus.STARTING)));

		registration.setStatus(InstanceStatus.DOWN);
		eventually().until(() -> statuses(observer, service).equals(List.of(InstanceStatus.DOWN)));

		registration.setStatus(InstanceStatus.UP);
		eventually().until(() -> statuses(observer, service).equals(List.of(InstanceStatus.UP)));
	}

	@Test
	void registrationCarriesTagsMetaWeightsAndZoneInTheKeysSpringCloudConsulReads() throws Exception {
		ConsulBackend owner = backend(ConsulBackend.builder());
		ConsulBackend observer = backend(ConsulBackend.builder());
		String service = this.prefix + "rich";
		ServiceInstance instance = ServiceInstance.builder(service, "127.0.0.1", 7301)
			.secure(true)
			.zone("eu-1")
			.weight(7)
			.tag("blue")
			.metadata("version", "3")
			.build();
		owner.register(instance);

		eventually().until(() -> observer.instances(service).equals(List.of(instance)));
		String agentView = consul.call("GET", "/v1/agent/service/" + instance.id(), "").replace(" ", "");
		assertThat(agentView).contains("\"Passing\":7")
			.contains("\"secure\":\"true\"")
			.contains("\"zone\":\"eu-1\"")
			.contains("\"weight\":\"7\"")
			.contains("\"version\":\"3\"")
			.contains("\"blue\"");
	}

	@Test
	void httpCheckFollowsTheInstanceHealthEndpoint() throws IOException {
		HealthEndpoint health = healthEndpoint();
		ConsulBackend owner = backend(httpCheckEverySecond());
		ConsulBackend observer = backend(ConsulBackend.builder());
		String service = this.prefix + "http";
		Registration registration = owner.register(instance(service, health.port()));

		eventually().until(() -> statuses(observer, service).equals(List.of(InstanceStatus.UP)));
		health.answer().set(503);
		eventually().until(() -> statuses(observer, service).equals(List.of(InstanceStatus.DOWN)));
		health.answer().set(200);
		eventually().until(() -> statuses(observer, service).equals(List.of(InstanceStatus.UP)));
		registration.setStatus(InstanceStatus.STARTING);
		eventually().until(() -> statuses(observer, service).equals(List.of(InstanceStatus.STARTING)));
		registration.setStatus(InstanceStatus.OUT_OF_SERVICE);
		eventually().until(() -> statuses(observer, service).equals(List.of(InstanceStatus.OUT_OF_SERVICE)));
	}

	@Test
	void httpCheckChangesStateOnlyAfterItsThresholdOfAnswersInARow() throws IOException {
		HealthEndpoint health = healthEndpoint();
		ConsulBackend owner = backend(
				httpCheckEverySecond().checkFailuresBeforeCritical(3).checkSuccessesBeforePassing(2));
		ConsulBackend observer = backend(ConsulBackend.builder());
		String service = this.prefix + "threshold";
		owner.register(instance(service, health.port()));
		eventually().until(() -> statuses(observer, service).equals(List.of(InstanceStatus.UP)));

		health.failed().set(0);
		health.answer().set(503);
		eventually().until(() -> statuses(observer, service).equals(List.of(InstanceStatus.DOWN)));
		assertThat(health.failed().get()).isGreaterThanOrEqualTo(3);

		health.passed().set(0);
		health.answer().set(200);
		eventually().until(() -> statuses(observer, service).equals(List.of(InstanceStatus.UP)));
		assertThat(health.passed().get()).isGreaterThanOrEqualTo(2);
	}

	@Test
	void httpCheckPollsTheCheckPortWhereHealthIsServedApart() throws Exception {
		HttpServer management = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		management.createContext("/manage/health", (exchange) -> {
			exchange.sendResponseHeaders(200, -1);
			exchange.close();
		});
		management.start();
		this.closeables.add(() -> management.stop(0));
		int managementPort = management.getAddress().getPort();
		ConsulBackend owner = backend(ConsulBackend.builder()
			.checkType(ConsulBackend.CheckType.HTTP)
			.checkPath("/manage/health")
			.checkPort(managementPort)
			.checkInterval(Duration.ofSeconds(1)));
		ConsulBackend observer = backend(ConsulBackend.builder());
		String service = this.prefix + "management";
		ServiceInstance instance = instance(service, 9);
		owner.register(instance);

		eventually().until(() -> statuses(observer, service).equals(List.of(InstanceStatus.UP)));
		assertThat(observer.instances(service)).extracting(ServiceInstance::port).containsExactly(9);
		assertThat(consul.call("GET", "/v1/agent/checks", ""))
			.contains("HTTP GET http://127.0.0.1:" + managementPort + "/manage/health: 200");
	}

	@Test
	void eachWatchHoldsOneThreadUntilClosed() throws Exception {
		ConsulBackend observer = backend(ConsulBackend.builder());
		String service = this.prefix + "threads";
		AtomicReference<List<ServiceInstance>> seen = new AtomicReference<>();
		AutoCloseable watch = observer.watch(service, seen::set);
		eventually().until(() -> seen.get() != null);
		assertThat(watchThreads(service)).isEqualTo(1);

		watch.close();

		eventually().until(() -> watchThreads(service) == 0);
	}

	@Test
	void healthNamesAgentLeaderAndRegistrationsWithoutTheToken() {
		String token = UUID.randomUUID().toString();
		ConsulBackend backend = backend(ConsulBackend.builder().token(token));
		String service = this.prefix + "health";
		backend.register(instance(service, 7401));

		eventually().until(() -> !"not read yet".equals(backend.health().details().get("leader")));
		assertThat(backend.health().reachable()).isTrue();
		assertThat(backend.health().details()).containsEntry("agent", "http://" + consul.host() + ":" + consul.port())
			.containsEntry("registrations", java.util.Map.of(service + "/" + service + "-127.0.0.1-7401", "REGISTERED"));
		assertThat(backend.health().details().get("leader")).asString().contains("127.0.0.1:");
		assertThat(backend.health().toString() + backend).doesNotContain(token);
	}

	private ConsulBackend backend(ConsulBackend.Builder settings) {
		ConsulBackend backend = settings.host(consul.host()).port(consul.port()).build();
		this.closeables.add(backend);
		return backend;
	}

	private <T extends AutoCloseable> T track(T closeable) {
		this.closeables.add(closeable);
		return closeable;
	}

	private static ServiceInstance instance(String service, int port) {
		return ServiceInstance.builder(service, "127.0.0.1", port).build();
	}

	private static List<InstanceStatus> statuses(ConsulBackend backend, String service) {
		return backend.instances(service).stream().map(ServiceInstance::status).toList();
	}

	private static long watchThreads(String service) {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((thread) -> thread.getName().equals("discovery-consul-watch-" + service) && thread.isAlive())
			.count();
	}

	/**
	 * Serves {@code /health} on loopback with the status in {@code answer}, counting the
	 * answers that passed (200) and those that failed; stopped after the test.
	 */
	private HealthEndpoint healthEndpoint() throws IOException {
		HealthEndpoint health = new HealthEndpoint(new AtomicInteger(200), new AtomicInteger(), new AtomicInteger(),
				HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0));
		health.server().createContext("/health", (exchange) -> {
			int status = health.answer().get();
			((status == 200) ? health.passed() : health.failed()).incrementAndGet();
			exchange.sendResponseHeaders(status, -1);
			exchange.close();
		});
		health.server().start();
		this.closeables.add(() -> health.server().stop(0));
		return health;
	}

	private static ConsulBackend.Builder httpCheckEverySecond() {
		return ConsulBackend.builder()
			.checkType(ConsulBackend.CheckType.HTTP)
			.checkPath("/health")
			.checkInterval(Duration.ofSeconds(1));
	}

	private static ConditionFactory eventually() {
		return Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20));
	}

	private record HealthEndpoint(AtomicInteger answer, AtomicInteger passed, AtomicInteger failed,
			HttpServer server) {

		int port() {
			return this.server.getAddress().getPort();
		}

	}

}
