package dev.discovery.core.contract;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import dev.discovery.core.DiscoveryBackend;
import dev.discovery.core.DiscoveryClient;
import dev.discovery.core.InstanceStatus;
import dev.discovery.core.Registration;
import dev.discovery.core.RegistrationState;
import dev.discovery.core.ServiceEvent;
import dev.discovery.core.ServiceInstance;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The behaviour every {@code DiscoveryBackend} must have, written once and run by each
 * backend's tests. A backend's test extends this class and says how to create a client of
 * the registry under test and how to kill one abruptly.
 * <p>
 * Every test uses service names of its own, so that backends may share one registry server
 * across tests. Backends created through {@link #newBackend()} are closed after each test.
 */
public abstract class DiscoveryBackendContractTest {

	private static final int CHURN_THREADS = 10;

	private static final int CHURN_OPERATIONS = 500;

	/** Long enough that heartbeats do not compete with the churn itself. */
	private static final Duration CHURN_TTL = Duration.ofSeconds(30);

	private static final List<String> JDK_SHARED_THREADS = List.of("CompletableFutureDelayScheduler",
			"ForkJoinPool.commonPool-worker-");

	private final List<DiscoveryBackend> backends = new ArrayList<>();

	private String prefix = "";

	/**
	 * Creates a new client of the registry under test. Clients created in one test must see
	 * each other's registrations.
	 * @param ttl how long a registration lives after its owner stops renewing it
	 * @return a new backend
	 */
	protected abstract DiscoveryBackend createBackend(Duration ttl);

	/**
	 * Makes a backend stop renewing its registrations without deregistering them, as a
	 * process killed with SIGKILL would.
	 * @param backend a backend created by {@link #createBackend(Duration)}
	 */
	protected abstract void crash(DiscoveryBackend backend);

	/**
	 * The TTL of the registrations in these tests. Expiry must be seen within TTL + 2 s.
	 * @return the TTL
	 */
	protected Duration ttl() {
		return Duration.ofSeconds(3);
	}

	/**
	 * How long a change may take to reach another client of the registry.
	 * @return the deadline for propagation
	 */
	protected Duration propagationDeadline() {
		return Duration.ofSeconds(5);
	}

	@BeforeEach
	void uniquePrefix() {
		this.prefix = "c" + UUID.randomUUID().toString().substring(0, 8) + "-";
	}

	@AfterEach
	void closeBackends() {
		Collections.reverse(this.backends);
		this.backends.forEach(DiscoveryBackend::close);
		this.backends.clear();
	}

	/**
	 * Creates a backend with {@link #ttl()} that is closed after the test.
	 * @return the backend
	 */
	protected DiscoveryBackend newBackend() {
		return newBackend(ttl());
	}

	private DiscoveryBackend newBackend(Duration ttl) {
		DiscoveryBackend backend = createBackend(ttl);
		this.backends.add(backend);
		return backend;
	}

	/**
	 * Returns a service name unique to the running test.
	 * @param name the short name
	 * @return the unique name
	 */
	protected String service(String name) {
		return this.prefix + name;
	}

	/**
	 * Builds an instance of a test service on loopback.
	 * @param name the short service name
	 * @param port the port, which also makes the id
	 * @return the instance
	 */
	protected ServiceInstance instance(String name, int port) {
		return ServiceInstance.builder(service(name), "127.0.0.1", port).metadata("version", "1").build();
	}

	/**
	 * Awaits a condition until the propagation deadline.
	 * @return the awaitility condition
	 */
	protected ConditionFactory eventually() {
		return Awaitility.await().atMost(propagationDeadline()).pollInterval(Duration.ofMillis(20));
	}

	@Test
	void registeredInstanceIsDiscoveredByAnotherClient() {
		DiscoveryBackend owner = newBackend();
		DiscoveryBackend observer = newBackend();
		ServiceInstance instance = instance("orders", 8081);

		Registration registration = owner.register(instance);

		assertThat(registration.state()).isEqualTo(RegistrationState.REGISTERED);
		assertThat(registration.instance()).isEqualTo(instance);
		eventually().untilAsserted(() -> assertThat(observer.instances(service("orders"))).containsExactly(instance));
		eventually().untilAsserted(() -> assertThat(observer.services()).contains(service("orders")));
	}

	@Test
	void serviceNamesAreCaseInsensitive() {
		DiscoveryBackend backend = newBackend();
		ServiceInstance instance = instance("payments", 8082);
		backend.register(instance);

		eventually().untilAsserted(
				() -> assertThat(backend.instances(service("PAYMENTS").toUpperCase())).containsExactly(instance));
	}

	@Test
	void unknownServiceHasNoInstances() {
		assertThat(newBackend().instances(service("nobody"))).isEmpty();
	}

	@Test
	void invalidServiceNameIsRejectedBeforeReachingTheRegistry() {
		DiscoveryBackend backend = newBackend();

		assertThatIllegalArgumentException().isThrownBy(() -> backend.instances("../etc"))
			.withMessageContaining("service name")
			.withMessageContaining("'../etc'");
		assertThatIllegalArgumentException().isThrownBy(() -> backend.watch("a/b", (list) -> {
		})).withMessageContaining("service name");
	}

	@Test
	void watchDeliversCurrentListThenEveryChange() throws Exception {
		DiscoveryBackend owner = newBackend();
		DiscoveryBackend observer = newBackend();
		ServiceInstance first = instance("catalog", 9001);
		ServiceInstance second = instance("catalog", 9002);
		owner.register(first);
		eventually().until(() -> observer.instances(service("catalog")).size() == 1);
		AtomicReference<List<ServiceInstance>> latest = new AtomicReference<>();

		try (AutoCloseable watch = observer.watch(service("catalog"), latest::set)) {
			eventually().untilAsserted(() -> assertThat(latest.get()).containsExactly(first));

			Registration secondRegistration = owner.register(second);
			eventually().untilAsserted(() -> assertThat(latest.get()).containsExactlyInAnyOrder(first, second));

			secondRegistration.close();
			eventually().untilAsserted(() -> assertThat(latest.get()).containsExactly(first));
		}
	}

	@Test
	void closedWatchDeliversNothingMore() throws Exception {
		DiscoveryBackend owner = newBackend();
		DiscoveryBackend observer = newBackend();
		List<List<ServiceInstance>> deliveries = new CopyOnWriteArrayList<>();
		AutoCloseable watch = observer.watch(service("quiet"), deliveries::add);
		eventually().until(() -> !deliveries.isEmpty());
		watch.close();
		int seen = deliveries.size();

		owner.register(instance("quiet", 9100));
		DiscoveryBackend witness = newBackend();
		eventually().until(() -> witness.instances(service("quiet")).size() == 1);
		List<List<ServiceInstance>> witnessed = new CopyOnWriteArrayList<>();
		try (AutoCloseable witnessWatch = witness.watch(service("quiet"), witnessed::add)) {
			eventually().until(() -> !witnessed.isEmpty() && witnessed.get(witnessed.size() - 1).size() == 1);
		}

		assertThat(deliveries).hasSize(seen);
	}

	@Test
	void deregisteredInstanceDisappears() {
		DiscoveryBackend owner = newBackend();
		DiscoveryBackend observer = newBackend();
		Registration registration = owner.register(instance("billing", 8083));
		eventually().until(() -> observer.instances(service("billing")).size() == 1);

		registration.close();
		registration.close();

		assertThat(registration.state()).isEqualTo(RegistrationState.CLOSED);
		eventually().untilAsserted(() -> assertThat(observer.instances(service("billing"))).isEmpty());
		assertThatIllegalStateException().isThrownBy(() -> registration.setStatus(InstanceStatus.UP))
			.withMessage("The registration of " + service("billing") + "/" + registration.instance().id()
					+ " is closed; register the instance again to change its status");
	}

	@Test
	void statusChangesReachWatchersAndClients() throws Exception {
		DiscoveryBackend owner = newBackend();
		DiscoveryBackend observer = newBackend();
		ServiceInstance instance = instance("search", 8084);
		Registration registration = owner.register(instance.withStatus(InstanceStatus.STARTING));
		List<ServiceEvent> events = new CopyOnWriteArrayList<>();
		try (DiscoveryClient client = new DiscoveryClient(observer)) {
			eventually().until(() -> client.getAllInstances(service("search")).size() == 1);
			assertThat(client.getInstances(service("search"))).isEmpty();
			client.addListener(service("search"), events::add);

			registration.setStatus(InstanceStatus.UP);

			eventually().untilAsserted(() -> assertThat(client.getInstances(service("search"))).containsExactly(instance));
			assertThat(client.choose(service("search"))).contains(instance);
			assertThat(registration.instance().status()).isEqualTo(InstanceStatus.UP);

			registration.setStatus(InstanceStatus.OUT_OF_SERVICE);

			eventually().untilAsserted(() -> assertThat(client.choose(service("search"))).isEmpty());
			assertThat(observer.instances(service("search"))).extracting(ServiceInstance::status)
				.containsExactly(InstanceStatus.OUT_OF_SERVICE);
			eventually().untilAsserted(() -> assertThat(events).extracting(ServiceEvent::type)
				.containsExactly(ServiceEvent.Type.STATUS_CHANGED, ServiceEvent.Type.STATUS_CHANGED));
		}
	}

	@Test
	void instanceExpiresWhenItsOwnerStopsRenewing() {
		DiscoveryBackend owner = newBackend();
		DiscoveryBackend survivor = newBackend();
		DiscoveryBackend observer = newBackend();
		ServiceInstance doomed = instance("inventory", 8085);
		ServiceInstance alive = instance("inventory", 8086);
		owner.register(doomed);
		survivor.register(alive);
		try (DiscoveryClient client = new DiscoveryClient(observer)) {
			eventually().until(() -> client.getInstances(service("inventory")).size() == 2);

			crash(owner);
			long crashedAt = System.nanoTime();

			Awaitility.await()
				.atMost(ttl().plusSeconds(2))
				.pollInterval(Duration.ofMillis(20))
				.untilAsserted(() -> assertThat(client.getInstances(service("inventory"))).containsExactly(alive));
			assertThat(Duration.ofNanos(System.nanoTime() - crashedAt)).isLessThanOrEqualTo(ttl().plusSeconds(2));
		}
	}

	@Test
	void registrationOutlivesManyTtls() {
		DiscoveryBackend owner = newBackend();
		DiscoveryBackend observer = newBackend();
		ServiceInstance instance = instance("ledger", 8087);
		Registration registration = owner.register(instance);
		eventually().until(() -> observer.instances(service("ledger")).equals(List.of(instance)));

		Awaitility.await()
			.during(ttl().multipliedBy(2))
			.atMost(ttl().multipliedBy(3))
			.pollInterval(Duration.ofMillis(100))
			.untilAsserted(() -> assertThat(observer.instances(service("ledger"))).containsExactly(instance));
		assertThat(registration.state()).isEqualTo(RegistrationState.REGISTERED);
	}

	@Test
	void reRegisteringTheSameIdReplacesTheInstance() {
		DiscoveryBackend owner = newBackend();
		DiscoveryBackend observer = newBackend();
		ServiceInstance original = instance("shipping", 8088);
		ServiceInstance replacement = original.toBuilder().metadata("version", "2").build();
		Registration first = owner.register(original);
		eventually().until(() -> observer.instances(service("shipping")).equals(List.of(original)));

		Registration second = owner.register(replacement);
		first.close();

		eventually().untilAsserted(() -> assertThat(observer.instances(service("shipping"))).containsExactly(replacement));
		assertThat(second.state()).isEqualTo(RegistrationState.REGISTERED);
		second.close();
		eventually().untilAsserted(() -> assertThat(observer.instances(service("shipping"))).isEmpty());
	}

	@Test
	void manyServicesAtOnce() {
		DiscoveryBackend owner = newBackend();
		DiscoveryBackend observer = newBackend();
		int services = 40;
		int perService = 3;
		for (int s = 0; s < services; s++) {
			for (int i = 0; i < perService; i++) {
				owner.register(instance("svc" + s, 10000 + s * 10 + i));
			}
		}

		eventually().untilAsserted(() -> assertThat(observer.services())
			.containsAll(java.util.stream.IntStream.range(0, services).mapToObj((s) -> service("svc" + s)).toList()));
		for (int s = 0; s < services; s++) {
			String name = service("svc" + s);
			int base = 10000 + s * 10;
			eventually().untilAsserted(() -> assertThat(observer.instances(name)).extracting(ServiceInstance::port)
				.containsExactlyInAnyOrder(base, base + 1, base + 2));
		}
	}

	@Test
	void churnEndsInTheTruthAndLeavesNoRegistrationAndNoThreadBehind() throws Exception {
		Set<Thread> threadsBefore = liveThreads();
		DiscoveryBackend closedOneByOne = newBackend(CHURN_TTL);
		DiscoveryBackend closedAtOnce = newBackend(CHURN_TTL);
		List<DiscoveryBackend> observers = List.of(newBackend(CHURN_TTL), newBackend(CHURN_TTL));
		List<AtomicReference<List<ServiceInstance>>> views = List.of(new AtomicReference<>(),
				new AtomicReference<>());
		List<AutoCloseable> watches = new ArrayList<>();
		for (int i = 0; i < observers.size(); i++) {
			watches.add(observers.get(i).watch(service("churn"), views.get(i)::set));
		}
		eventually().until(() -> views.stream().allMatch((view) -> view.get() != null));
		Map<Integer, ServiceInstance> truth = new ConcurrentHashMap<>();
		AtomicInteger nextPort = new AtomicInteger(20000);
		ExecutorService pool = Executors.newFixedThreadPool(CHURN_THREADS);
		CountDownLatch start = new CountDownLatch(1);
		List<Future<Map<Integer, Registration>>> workers = new ArrayList<>();
		for (int t = 0; t < CHURN_THREADS; t++) {
			DiscoveryBackend owner = (t % 2 == 0) ? closedOneByOne : closedAtOnce;
			workers.add(pool.submit(() -> {
				start.await();
				return churn(owner, nextPort, truth);
			}));
		}
		long churnStart = System.nanoTime();
		start.countDown();
		Map<Integer, Registration> oneByOne = new HashMap<>();
		for (int t = 0; t < CHURN_THREADS; t++) {
			Map<Integer, Registration> open = workers.get(t).get(5, TimeUnit.MINUTES);
			if (t % 2 == 0) {
				oneByOne.putAll(open);
			}
		}
		long churnEnd = System.nanoTime();
		pool.shutdown();
		assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
		int leftOpen = truth.size();

		assertEveryViewEventuallyEquals(truth.values(), observers, views);
		long converged = System.nanoTime();
		oneByOne.forEach((port, registration) -> {
			registration.close();
			truth.remove(port);
		});
		assertEveryViewEventuallyEquals(truth.values(), observers, views);
		closedAtOnce.close();
		assertEveryViewEventuallyEquals(List.of(), observers, views);
		assertThat(observers.get(0).services()).doesNotContain(service("churn"));
		System.out.printf("%s churn: %d threads x %d operations (%d registrations left open) in %d ms, "
				+ "watchers and reads equal the truth %d ms later%n", closedOneByOne.health().backend(),
				CHURN_THREADS, CHURN_OPERATIONS, leftOpen, Duration.ofNanos(churnEnd - churnStart).toMillis(),
				Duration.ofNanos(converged - churnEnd).toMillis());
		for (AutoCloseable watch : watches) {
			watch.close();
		}
		closedOneByOne.close();
		observers.forEach(DiscoveryBackend::close);

		Awaitility.await()
			.atMost(Duration.ofSeconds(10))
			.pollInSameThread()
			.pollInterval(Duration.ofMillis(100))
			.untilAsserted(() -> assertThat(startedSince(threadsBefore))
				.as("threads started by the backends and still running after close").isEmpty());
		assertThat(newBackend().instances(service("churn"))).isEmpty();
	}

	/**
	 * One churn thread: registers, changes the status of and deregisters instances of its
	 * own, keeping the truth current after each operation.
	 * @return the registrations it left open, by port
	 */
	private Map<Integer, Registration> churn(DiscoveryBackend owner, AtomicInteger nextPort,
			Map<Integer, ServiceInstance> truth) {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		InstanceStatus[] statuses = InstanceStatus.values();
		Map<Integer, Registration> mine = new HashMap<>();
		List<Integer> ports = new ArrayList<>();
		for (int op = 0; op < CHURN_OPERATIONS; op++) {
			int kind = ports.isEmpty() ? 0 : random.nextInt(3);
			if (kind == 0) {
				int port = nextPort.getAndIncrement();
				ServiceInstance instance = instance("churn", port).withStatus(statuses[random.nextInt(statuses.length)]);
				mine.put(port, owner.register(instance));
				ports.add(port);
				truth.put(port, instance);
			}
			else {
				int port = ports.get(random.nextInt(ports.size()));
				Registration registration = mine.get(port);
				if (kind == 1) {
					InstanceStatus status = statuses[random.nextInt(statuses.length)];
					registration.setStatus(status);
					truth.put(port, registration.instance().withStatus(status));
				}
				else {
					ports.remove(Integer.valueOf(port));
					mine.remove(port).close();
					truth.remove(port);
				}
			}
		}
		return mine;
	}

	private void assertEveryViewEventuallyEquals(Collection<ServiceInstance> truth, List<DiscoveryBackend> observers,
			List<AtomicReference<List<ServiceInstance>>> views) {
		List<ServiceInstance> expected = List.copyOf(truth);
		eventually().untilAsserted(() -> {
			for (int i = 0; i < observers.size(); i++) {
				assertThat(views.get(i).get()).as("view of watcher %d", i).containsExactlyInAnyOrderElementsOf(expected);
				assertThat(observers.get(i).instances(service("churn"))).as("read of observer %d", i)
					.containsExactlyInAnyOrderElementsOf(expected);
			}
		});
	}

	private static Set<Thread> liveThreads() {
		return Set.copyOf(Thread.getAllStackTraces().keySet());
	}

	/**
	 * The threads started since a snapshot and still running, leaving out the JDK's own
	 * JVM-wide pools, which any code may start and which are never the backend's to end.
	 */
	private static List<String> startedSince(Set<Thread> before) {
		return liveThreads().stream()
			.filter((thread) -> !before.contains(thread))
			.filter((thread) -> JDK_SHARED_THREADS.stream().noneMatch(thread.getName()::startsWith))
			.map((thread) -> thread.getName() + " (" + thread.getState() + ")")
			.sorted()
			.toList();
	}

	@Test
	void failingListenerDoesNotEndTheWatch() throws Exception {
		DiscoveryBackend owner = newBackend();
		DiscoveryBackend observer = newBackend();
		AtomicInteger calls = new AtomicInteger();
		AtomicReference<List<ServiceInstance>> latest = new AtomicReference<>(List.of());
		try (AutoCloseable watch = observer.watch(service("flaky"), (list) -> {
			calls.incrementAndGet();
			latest.set(list);
			throw new IllegalStateException("listener failure on purpose");
		})) {
			eventually().until(() -> calls.get() >= 1);
			owner.register(instance("flaky", 9201));
			eventually().until(() -> latest.get().size() == 1);
			owner.register(instance("flaky", 9202));
			eventually().until(() -> latest.get().size() == 2);
		}
	}

	@Test
	void closingTheBackendDeregistersEverything() {
		DiscoveryBackend owner = createBackend(ttl());
		DiscoveryBackend observer = newBackend();
		Registration first = owner.register(instance("closing", 9301));
		Registration second = owner.register(instance("closing", 9302));
		eventually().until(() -> observer.instances(service("closing")).size() == 2);

		owner.close();
		owner.close();

		assertThat(first.state()).isEqualTo(RegistrationState.CLOSED);
		assertThat(second.state()).isEqualTo(RegistrationState.CLOSED);
		eventually().untilAsserted(() -> assertThat(observer.instances(service("closing"))).isEmpty());
	}

	@Test
	void healthReportsAReachableRegistry() {
		DiscoveryBackend backend = newBackend();
		backend.register(instance("healthy", 9401));

		assertThat(backend.health().reachable()).isTrue();
		assertThat(backend.health().error()).isNull();
		assertThat(backend.health().backend()).isNotBlank();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("dev.discovery.core.contract.BadInput#all")
	void badInputIsRejectedBeforeReachingTheRegistryAndLosesNothing(BadInput bad) {
		DiscoveryBackend owner = newBackend();
		DiscoveryBackend observer = newBackend();
		ServiceInstance good = instance("intact", 9501);
		Registration registration = owner.register(good);
		eventually().untilAsserted(() -> assertThat(observer.instances(service("intact"))).containsExactly(good));

		assertThatExceptionOfType(bad.error()).isThrownBy(() -> bad.call().make(owner, registration))
			.withMessage(bad.message());

		assertThat(registration.state()).isEqualTo(RegistrationState.REGISTERED);
		assertThat(registration.instance()).isEqualTo(good);
		assertThat(owner.instances(service("intact"))).containsExactly(good);
		assertThat(observer.instances(service("intact"))).containsExactly(good);
	}

}
