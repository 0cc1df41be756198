package dev.discovery.grpc;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.discovery.core.BalancingPolicy;
import dev.discovery.core.DiscoveryBackend;
import dev.discovery.core.InstanceStatus;
import dev.discovery.core.LoadBalancers;
import dev.discovery.core.testserver.TcpProxy;
import io.grpc.ManagedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two greeting servers and one {@code discovery:///greeting} channel on a real registry,
 * each server registered through a backend of its own as separate processes would: calls
 * spread, a drained server stops getting calls, a killed one fails no call once retries are
 * configured, and a new one gets calls soon after registering. Each registry's IT extends
 * this with how to reach it and how to kill a backend.
 */
abstract class RegistryGreetingContract {

	/**
	 * Retries an idempotent RPC that was in flight on a killed server: grpc-java ends it with
	 * UNAVAILABLE, or with UNKNOWN "channel closed" when the connection dies under a write.
	 */
	static final Map<String, ?> RETRY_UNAVAILABLE = Map.of("methodConfig", List.of(Map.of("name",
			List.of(Map.of("service", "greeting.Greeter")), "retryPolicy",
			Map.of("maxAttempts", 3.0, "initialBackoff", "0.01s", "maxBackoff", "0.1s", "backoffMultiplier", 2.0,
					"retryableStatusCodes", List.of("UNAVAILABLE", "UNKNOWN")))));

	/** How long a drained server must have had no call before its last call is taken as final. */
	private static final Duration QUIET = Duration.ofMillis(200);

	private GreetingFleet fleet;

	/** Returns a new backend on the registry, with a short TTL so a killed one expires soon. */
	abstract DiscoveryBackend backend();

	/** Stops a backend as a killed process stops: no deregistration, no more heartbeats. */
	abstract void crash(DiscoveryBackend backend);

	@BeforeEach
	void startFleet() {
		this.fleet = new GreetingFleet(this::backend,
				(service) -> BalancingPolicy.builder(LoadBalancers.byName("round-robin")).build());
	}

	@AfterEach
	void close() throws Exception {
		this.fleet.close();
	}

	@Test
	void callsSpreadOverBothServers() {
		GreetingServer one = this.fleet.start("one").server();
		GreetingServer two = this.fleet.start("two").server();
		ManagedChannel channel = this.fleet.channel();
		DiscoveryPolicyTests.awaitBothServe(channel, one, two);
		int before = one.calls() + two.calls();
		for (int i = 0; i < 200; i++) {
			GreetingFleet.greet(channel);
		}
		assertThat(one.calls() + two.calls() - before).isEqualTo(200);
		assertThat(one.calls()).isGreaterThan(80);
		assertThat(two.calls()).isGreaterThan(80);
	}

	@Test
	void drainedServerGetsNoNewCallWithin100Ms() throws Exception {
		GreetingServer staying = this.fleet.start("staying").server();
		GreetingFleet.Member leaving = this.fleet.start("leaving");
		ManagedChannel channel = this.fleet.channel();
		DiscoveryPolicyTests.awaitBothServe(channel, staying, leaving.server());
		try (CallLoop load = new CallLoop(channel, 2)) {
			long drained = System.nanoTime();
			leaving.registration().setStatus(InstanceStatus.OUT_OF_SERVICE);
			await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(1))
				.until(() -> this.fleet.client().getInstances(GreetingFleet.SERVICE).size() == 1);
			await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(5))
				.until(() -> System.nanoTime() - leaving.server().lastCallNanos() > QUIET.toNanos());
			double lastCallMs = (leaving.server().lastCallNanos() - drained) / 1e6;
			System.out.printf("%s: drained server's last call arrived %.1f ms after the drain%n", getClass().getSimpleName(),
					lastCallMs);
			assertThat(lastCallMs).isLessThan(100);
			assertThat(load.failures()).isEmpty();
		}
	}

	/**
	 * The killed server is reached through a TCP proxy, its {@code grpc-port}: closing the
	 * proxy's sockets is what a killed process's connections undergo (an in-JVM
	 * {@code shutdownNow} would instead cancel each call politely), and its backend stops
	 * without deregistering, so the registry removes it by its own liveness (TTL).
	 */
	@Test
	void killedServerFailsNoCallWithRetries() throws Exception {
		GreetingFleet.Member surviving = this.fleet.start("surviving");
		GreetingServer doomed = GreetingServer.start("killed");
		try (TcpProxy process = TcpProxy.to("127.0.0.1", doomed.port())) {
			GreetingFleet.Member killed = this.fleet.register(doomed, this.fleet.backend(),
					(instance) -> instance.metadata(GrpcPort.METADATA_KEY, String.valueOf(process.port())));
			ManagedChannel channel = this.fleet.channel(
					DiscoveryResolverOptions.of(this.fleet.client()).withServiceConfig(RETRY_UNAVAILABLE), (builder) -> builder);
			DiscoveryPolicyTests.awaitBothServe(channel, surviving.server(), doomed);
			try (CallLoop load = new CallLoop(channel, 2)) {
				await().atMost(Duration.ofSeconds(2)).until(() -> load.calls() > 100);
				long kill = System.nanoTime();
				process.close();
				doomed.kill();
				crash(killed.backend());
				await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(5))
					.until(() -> this.fleet.client().getInstances(GreetingFleet.SERVICE).size() == 1);
				long removed = System.nanoTime();
				int survivorCalls = surviving.server().calls();
				await().atMost(Duration.ofSeconds(2)).until(() -> surviving.server().calls() > survivorCalls + 100);
				System.out.printf("%s: killed server left the registry after %d ms; %d calls, %d failed%n",
						getClass().getSimpleName(), (removed - kill) / 1_000_000, load.calls(), load.failures().size());
				assertThat(load.failures()).isEmpty();
			}
		}
	}

	@Test
	void newServerGetsCallsWithin100MsOfRegistering() throws Exception {
		this.fleet.start("first");
		ManagedChannel channel = this.fleet.channel();
		assertThat(GreetingFleet.greet(channel)).isEqualTo("first");
		GreetingServer second = GreetingServer.start("second");
		DiscoveryBackend backend = this.fleet.backend();
		try (CallLoop load = new CallLoop(channel, 2)) {
			await().atMost(Duration.ofSeconds(2)).until(() -> load.calls() > 50);
			long registering = System.nanoTime();
			this.fleet.register(second, backend, (instance) -> {
			});
			long registered = System.nanoTime();
			await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(1)).until(() -> second.calls() > 0);
			double firstCallMs = (second.firstCallNanos() - registered) / 1e6;
			System.out.printf("%s: registering took %.1f ms; the new server got its first call %.1f ms after that%n",
					getClass().getSimpleName(), (registered - registering) / 1e6, firstCallMs);
			assertThat(firstCallMs).isLessThan(100);
			assertThat(load.failures()).isEmpty();
		}
	}

}
