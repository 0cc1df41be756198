package dev.discovery.grpc;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.google.common.util.concurrent.ListenableFuture;
import dev.discovery.core.BalancingPolicy;
import dev.discovery.core.InstanceStatus;
import dev.discovery.core.LoadBalancers;
import dev.discovery.inmemory.InMemoryBackend;
import dev.discovery.inmemory.InMemoryRegistry;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;
import static org.awaitility.Awaitility.await;

/**
 * The {@code discovery} policy on real gRPC servers over loopback, with the in-memory
 * backend: each strategy of the core decides where RPCs go, outcomes feed ejection, and a
 * drained instance gets no new RPC.
 */
class DiscoveryPolicyTests {

	private final InMemoryRegistry registry = new InMemoryRegistry();

	private GreetingFleet fleet;

	@AfterEach
	void close() throws Exception {
		if (this.fleet != null) {
			this.fleet.close();
		}
		this.registry.close();
	}

	private GreetingFleet fleet(String strategy) {
		this.fleet = new GreetingFleet(() -> new InMemoryBackend(this.registry, InMemoryBackend.DEFAULT_TTL),
				(service) -> BalancingPolicy.builder(LoadBalancers.byName(strategy)).build());
		return this.fleet;
	}

	@Test
	void weightedSharesFollowWeightsEvenWhenTheChannelDefaultsToRoundRobin() {
		GreetingFleet fleet = fleet("weighted");
		GreetingServer light = fleet.start("light", (instance) -> instance.weight(1)).server();
		GreetingServer heavy = fleet.start("heavy", (instance) -> instance.weight(3)).server();
		ManagedChannel channel = fleet.channel(DiscoveryResolverOptions.of(fleet.client()),
				(builder) -> builder.defaultLoadBalancingPolicy("round_robin"));
		awaitBothServe(channel, light, heavy);
		int before = heavy.calls() + light.calls();
		int heavyBefore = heavy.calls();
		for (int i = 0; i < 2000; i++) {
			GreetingFleet.greet(channel);
		}
		double heavyShare = (heavy.calls() - heavyBefore) / (double) (heavy.calls() + light.calls() - before);
		assertThat(heavyShare).isCloseTo(0.75, offset(0.05));
	}

	@Test
	void leastRequestsPrefersTheFastServer() throws Exception {
		assertFastServerPreferred("least-requests");
	}

	@Test
	void latencyPrefersTheFastServer() throws Exception {
		assertFastServerPreferred("latency");
	}

	private void assertFastServerPreferred(String strategy) throws Exception {
		GreetingFleet fleet = fleet(strategy);
		GreetingServer fast = fleet.start("fast").server();
		GreetingServer slow = fleet.start("slow").server();
		ManagedChannel channel = fleet.channel();
		awaitBothServe(channel, fast, slow);
		fast.delay(Duration.ofMillis(10));
		slow.delay(Duration.ofMillis(100));
		int fastBefore = fast.calls();
		int slowBefore = slow.calls();
		load(channel, 400, 4);
		int toFast = fast.calls() - fastBefore;
		int toSlow = slow.calls() - slowBefore;
		System.out.printf("%s: fast server %d calls, 10x slower server %d%n", strategy, toFast, toSlow);
		// Two draws with replacement from two instances leave half the picks to chance, so
		// the fast server's share tops out at 3/4; round-robin would give it 1/2 (sigma 0.025
		// over 400 calls). Delays of 10 and 100 ms stay apart on a loaded machine, whose
		// scheduling jitter would otherwise raise the fast server's peak-EWMA latency.
		assertThat(toFast / (double) (toFast + toSlow)).isGreaterThan(0.6);
	}

	@Test
	void consistentHashKeepsAKeyOnOneServer() {
		GreetingFleet fleet = fleet("consistent-hash");
		GreetingServer one = fleet.start("one").server();
		GreetingServer two = fleet.start("two").server();
		ManagedChannel channel = fleet.channel(
				DiscoveryResolverOptions.of(fleet.client()).withHashKeyHeaders((service) -> "x-user"),
				(builder) -> builder);
		awaitBothServe(channel, one, two);
		Map<String, Set<String>> serversByKey = new HashMap<>();
		for (int round = 0; round < 5; round++) {
			for (int user = 0; user < 40; user++) {
				String key = "user-" + user;
				serversByKey.computeIfAbsent(key, (k) -> new HashSet<>())
					.add(GreetingFleet.greet(channel, Map.of("x-user", key)));
			}
		}
		assertThat(serversByKey.values()).allSatisfy((servers) -> assertThat(servers).hasSize(1));
		Set<String> used = new HashSet<>();
		serversByKey.values().forEach(used::addAll);
		assertThat(used).containsExactlyInAnyOrder("one", "two");
	}

	@Test
	void fiveUnavailableInARowEjectTheInstance() {
		assertThat(callsReachingAServerThatFailsWith(Status.Code.UNAVAILABLE, 100)).isEqualTo(5);
	}

	@Test
	void callerFaultCodesDoNotEject() {
		assertThat(callsReachingAServerThatFailsWith(Status.Code.INVALID_ARGUMENT, 40)).isEqualTo(20);
	}

	/**
	 * Sends calls round-robin to a healthy server and one that fails every call with the
	 * code, checks that every failed call failed with it, and counts those that reached the
	 * failing server.
	 */
	private int callsReachingAServerThatFailsWith(Status.Code code, int calls) {
		GreetingFleet fleet = fleet("round-robin");
		GreetingServer healthy = fleet.start("healthy").server();
		GreetingServer failing = fleet.start("failing").server();
		ManagedChannel channel = fleet.channel();
		awaitBothServe(channel, healthy, failing);
		failing.failWith(code);
		int before = failing.calls();
		int failures = 0;
		for (int i = 0; i < calls; i++) {
			try {
				assertThat(GreetingFleet.greet(channel)).isEqualTo("healthy");
			}
			catch (StatusRuntimeException ex) {
				assertThat(ex.getStatus().getCode()).isEqualTo(code);
				failures++;
			}
		}
		assertThat(failures).isEqualTo(failing.calls() - before);
		return failures;
	}

	@Test
	void drainedInstanceGetsNoNewRpcAndFinishesTheOnesInFlight() throws Exception {
		GreetingFleet fleet = fleet("round-robin");
		GreetingServer staying = fleet.start("staying").server();
		GreetingFleet.Member leaving = fleet.start("leaving");
		ManagedChannel channel = fleet.channel();
		awaitBothServe(channel, staying, leaving.server());
		leaving.server().delay(Duration.ofMillis(300));
		ListenableFuture<String> first = ClientCalls.futureUnaryCall(channel.newCall(GreetingServer.GREET,
				CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS)), "hello");
		ListenableFuture<String> second = ClientCalls.futureUnaryCall(channel.newCall(GreetingServer.GREET,
				CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS)), "hello");
		await().atMost(Duration.ofSeconds(2)).until(() -> leaving.server().calls() > 0 && staying.calls() > 0);
		int leavingBefore = leaving.server().calls();

		long drained = System.nanoTime();
		leaving.registration().setStatus(InstanceStatus.OUT_OF_SERVICE);
		await().atMost(Duration.ofMillis(100)).pollInterval(Duration.ofMillis(1))
			.until(() -> fleet.client().getInstances(GreetingFleet.SERVICE).size() == 1);
		System.out.printf("drain reached the picker in %.1f ms%n", (System.nanoTime() - drained) / 1e6);
		for (int i = 0; i < 20; i++) {
			assertThat(GreetingFleet.greet(channel)).isEqualTo("staying");
		}
		assertThat(leaving.server().calls()).isEqualTo(leavingBefore);
		assertThat(Set.of(first.get(5, TimeUnit.SECONDS), second.get(5, TimeUnit.SECONDS)))
			.containsExactlyInAnyOrder("staying", "leaving");
	}

	@Test
	void newInstanceGetsRpcsSoonAfterRegistering() {
		GreetingFleet fleet = fleet("round-robin");
		fleet.start("first");
		ManagedChannel channel = fleet.channel();
		assertThat(GreetingFleet.greet(channel)).isEqualTo("first");
		GreetingServer second = GreetingServer.start("second");
		long registered = System.nanoTime();
		fleet.register(second, (instance) -> {
		});
		await().atMost(Duration.ofSeconds(2)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1))
			.until(() -> GreetingFleet.greet(channel).equals("second"));
		System.out.printf("a new instance got its first RPC %.1f ms after registering%n",
				(System.nanoTime() - registered) / 1e6);
	}

	static void awaitBothServe(ManagedChannel channel, GreetingServer a, GreetingServer b) {
		await().atMost(Duration.ofSeconds(5)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1))
			.until(() -> {
				GreetingFleet.greet(channel);
				return a.calls() > 0 && b.calls() > 0;
			});
	}

	static void load(ManagedChannel channel, int calls, int concurrency) throws Exception {
		Semaphore permits = new Semaphore(concurrency);
		AtomicInteger failures = new AtomicInteger();
		for (int i = 0; i < calls; i++) {
			permits.acquire();
			ListenableFuture<String> call = ClientCalls.futureUnaryCall(channel.newCall(GreetingServer.GREET,
					CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS)), "hello");
			call.addListener(() -> {
				try {
					call.get();
				}
				catch (Exception ex) {
					failures.incrementAndGet();
				}
				permits.release();
			}, Runnable::run);
		}
		permits.acquire(concurrency);
		assertThat(failures).hasValue(0);
	}

}
