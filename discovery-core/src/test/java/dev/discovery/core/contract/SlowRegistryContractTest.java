package dev.discovery.core.contract;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import dev.discovery.core.BackendHealth;
import dev.discovery.core.DiscoveryBackend;
import dev.discovery.core.DiscoveryClient;
import dev.discovery.core.DiscoveryException;
import dev.discovery.core.Registration;
import dev.discovery.core.RegistrationState;
import dev.discovery.core.ServiceInstance;
import dev.discovery.core.testserver.TcpProxy;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * How every {@code DiscoveryBackend} behaves when its registry answers slowly or not at
 * all, written once and run by each backend against its real registry behind a
 * {@link TcpProxy}. Every call fails no earlier than the configured request timeout and no
 * later than a margin after it, with a {@link DiscoveryException} that says what timed out
 * and after how long; {@code health()} and {@code close()} never hang; watchers and clients
 * keep their last view; and once traffic passes again, registrations and watches recover by
 * themselves.
 */
public abstract class SlowRegistryContractTest {

	/** The request timeout of the backends behind the proxy. */
	protected static final Duration TIMEOUT = Duration.ofSeconds(1);

	/** How much later than the timeout a call may return on a loaded machine. */
	private static final Duration MARGIN = Duration.ofSeconds(2);

	private static final Duration TTL = Duration.ofSeconds(5);

	private static final Duration RECOVERY_DEADLINE = TTL.plusSeconds(10);

	private final List<AutoCloseable> resources = new ArrayList<>();

	private final List<Throwable> uncaught = new CopyOnWriteArrayList<>();

	private Thread.UncaughtExceptionHandler previousHandler;

	private TcpProxy proxy;

	private String service;

	/**
	 * Returns the host of the real registry.
	 * @return the host
	 */
	protected abstract String registryHost();

	/**
	 * Returns the port of the real registry.
	 * @return the port
	 */
	protected abstract int registryPort();

	/**
	 * Creates a client of the registry at the given address.
	 * @param host the registry's host, or the proxy's
	 * @param port the registry's port, or the proxy's
	 * @param ttl how long a registration outlives its owner's silence
	 * @param requestTimeout the request timeout to configure
	 * @return a new backend
	 */
	protected abstract DiscoveryBackend createBackend(String host, int port, Duration ttl, Duration requestTimeout);

	/**
	 * Waits until a backend whose watch saw its first view follows it as it will for the
	 * rest of the test. Backends that move a watch after its first view (Consul over https,
	 * onto an HTTP/2 stream) override it, so that the test reaches where the watch ends up;
	 * by default it returns at once.
	 * @param backend the backend behind the proxy
	 */
	protected void awaitWatching(DiscoveryBackend backend) {
	}

	@BeforeEach
	void startProxy() {
		this.previousHandler = Thread.getDefaultUncaughtExceptionHandler();
		Thread.setDefaultUncaughtExceptionHandler((thread, ex) -> this.uncaught.add(ex));
		this.proxy = TcpProxy.to(registryHost(), registryPort());
		this.service = "slow-" + UUID.randomUUID().toString().substring(0, 8);
	}

	@AfterEach
	void closeEverything() throws Exception {
		Collections.reverse(this.resources);
		for (AutoCloseable resource : this.resources) {
			resource.close();
		}
		this.proxy.close();
		Thread.setDefaultUncaughtExceptionHandler(this.previousHandler);
	}

	@Test
	void blackHoledRegistryTimesOutEveryCallKeepsTheLastViewAndRecovers() throws Exception {
		DiscoveryBackend direct = directBackend();
		DiscoveryBackend proxied = proxiedBackend();
		ServiceInstance first = instance(8001);
		ServiceInstance second = instance(8002);
		ServiceInstance third = instance(8003);
		Registration registration = proxied.register(first);
		AtomicReference<List<ServiceInstance>> watched = new AtomicReference<>(List.of());
		this.resources.add(proxied.watch(this.service, watched::set));
		DiscoveryClient client = new DiscoveryClient(proxied);
		this.resources.add(client);
		within(MARGIN).untilAsserted(() -> {
			assertThat(watched.get()).containsExactly(first);
			assertThat(client.getInstances(this.service)).containsExactly(first);
		});
		awaitWatching(proxied);

		this.proxy.blackHole();

		assertTimesOut(() -> proxied.register(second), this.service, second.id());
		assertTimesOut(() -> proxied.instances(this.service), this.service);
		assertTimesOut(proxied::services, "services");
		BackendHealth health = returnsInTime(proxied::health);
		within(TIMEOUT.plus(MARGIN)).until(() -> !returnsInTime(proxied::health).reachable());
		assertThat(proxied.health().error()).contains(TIMEOUT.toString());
		direct.register(third);
		within(TTL.plus(MARGIN)).untilAsserted(() -> assertThat(direct.instances(this.service)).doesNotContain(first));
		assertThat(watched.get()).containsExactly(first);
		assertThat(client.getInstances(this.service)).containsExactly(first);
		assertThat(client.isStale()).isTrue();

		this.proxy.passThrough();
		long passing = System.nanoTime();

		within(RECOVERY_DEADLINE).untilAsserted(() -> {
			assertThat(direct.instances(this.service)).containsExactlyInAnyOrder(first, third);
			assertThat(watched.get()).containsExactlyInAnyOrder(first, third);
			assertThat(client.getInstances(this.service)).containsExactlyInAnyOrder(first, third);
			assertThat(registration.state()).isEqualTo(RegistrationState.REGISTERED);
			assertThat(client.isStale()).isFalse();
		});
		Duration recovered = Duration.ofNanos(System.nanoTime() - passing);
		System.out.printf("%s behind a black hole: registration and watch back %d ms after traffic passed again%n",
				health.backend(), recovered.toMillis());
		proxied.register(second);
		within(RECOVERY_DEADLINE).untilAsserted(() -> {
			assertThat(direct.instances(this.service)).containsExactlyInAnyOrder(first, second, third);
			assertThat(watched.get()).containsExactlyInAnyOrder(first, second, third);
			assertThat(client.getInstances(this.service)).containsExactlyInAnyOrder(first, second, third);
		});
		assertThat(this.uncaught).isEmpty();
	}

	@Test
	void closeReturnsInTimeWhileTheRegistryIsBlackHoled() throws Exception {
		DiscoveryBackend proxied = proxiedBackend();
		Registration registration = proxied.register(instance(8101));
		AtomicReference<List<ServiceInstance>> watched = new AtomicReference<>(List.of());
		this.resources.add(proxied.watch(this.service, watched::set));
		within(MARGIN).until(() -> watched.get().size() == 1);
		awaitWatching(proxied);

		this.proxy.blackHole();

		long start = System.nanoTime();
		proxied.close();
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThanOrEqualTo(TIMEOUT.plus(MARGIN));
		assertThat(registration.state()).isEqualTo(RegistrationState.CLOSED);
		assertThat(this.uncaught).isEmpty();
	}

	@Test
	void slowAnswersWithinTheTimeoutSucceedAndSlowerOnesTimeOut() {
		DiscoveryBackend proxied = proxiedBackend();
		ServiceInstance first = instance(8201);
		Duration latency = TIMEOUT.dividedBy(4);
		assertThat(proxied.instances(this.service)).isEmpty();
		this.proxy.delay(latency);

		long start = System.nanoTime();
		proxied.register(first);
		within(MARGIN).untilAsserted(() -> assertThat(proxied.instances(this.service)).containsExactly(first));
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(latency.multipliedBy(2));

		this.proxy.delay(TIMEOUT.multipliedBy(3));

		assertTimesOut(() -> proxied.register(instance(8202)), this.service);
		assertTimesOut(() -> proxied.instances(this.service), this.service);

		this.proxy.passThrough();

		within(RECOVERY_DEADLINE).ignoreExceptionsInstanceOf(DiscoveryException.class)
			.untilAsserted(() -> assertThat(proxied.instances(this.service)).containsExactly(first));
		assertThat(this.uncaught).isEmpty();
	}

	private DiscoveryBackend directBackend() {
		return remember(createBackend(registryHost(), registryPort(), TTL, TIMEOUT));
	}

	private DiscoveryBackend proxiedBackend() {
		return remember(createBackend(this.proxy.host(), this.proxy.port(), TTL, TIMEOUT));
	}

	private DiscoveryBackend remember(DiscoveryBackend backend) {
		this.resources.add(backend);
		return backend;
	}

	private ServiceInstance instance(int port) {
		return ServiceInstance.builder(this.service, "127.0.0.1", port).build();
	}

	private static ConditionFactory within(Duration deadline) {
		return Awaitility.await().atMost(deadline).pollInterval(Duration.ofMillis(50));
	}

	private static void assertTimesOut(ThrowingCallable call, String... mentioned) {
		long start = System.nanoTime();
		Throwable thrown = catchThrowable(call);
		Duration took = Duration.ofNanos(System.nanoTime() - start);
		assertThat(thrown).isInstanceOf(DiscoveryException.class).hasMessageContaining("timed out after " + TIMEOUT);
		for (String text : mentioned) {
			assertThat(thrown).hasMessageContaining(text);
		}
		assertThat(took).isBetween(TIMEOUT.minusMillis(50), TIMEOUT.plus(MARGIN));
	}

	/** Calls something that must not wait on the network, so must return before any request could time out. */
	private static <T> T returnsInTime(Supplier<T> call) {
		long start = System.nanoTime();
		T result = call.get();
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(TIMEOUT);
		return result;
	}

}
