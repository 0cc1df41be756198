package dev.discovery.core;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToLongFunction;
import java.util.random.RandomGenerator;
import java.util.stream.IntStream;

import dev.discovery.core.PowerOfTwoChoicesLoadBalancer.Load;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class PowerOfTwoChoicesLoadBalancerTest {

	private static final long FAST = TimeUnit.MILLISECONDS.toNanos(1);

	private static final long SLOW = TimeUnit.MILLISECONDS.toNanos(10);

	private static final int CALLS = 20_000;

	private final List<ServiceInstance> instances = IntStream.range(0, 5)
		.mapToObj((i) -> ServiceInstance.builder("svc", "10.0.0." + (i + 1), 8080).id("i" + i).build())
		.toList();

	@Test
	void latencySendsAnInstanceTenTimesSlowerFarLessThanRoundRobinDoes() {
		double roundRobin = slowShare(LoadBalancers.byName("round-robin"));
		double latency = slowShare(new PowerOfTwoChoicesLoadBalancer(Load.PEAK_EWMA, seeded()));

		assertThat(roundRobin).isEqualTo(0.2);
		assertThat(latency).isLessThan(roundRobin / 4);
	}

	@Test
	void leastRequestsSendsAnInstanceTenTimesSlowerFarLessThanRoundRobinDoes() {
		double roundRobin = slowShare(LoadBalancers.byName("round-robin"));
		double leastRequests = slowShare(new PowerOfTwoChoicesLoadBalancer(Load.IN_FLIGHT, seeded()));

		assertThat(leastRequests).isLessThan(roundRobin / 2);
	}

	@ParameterizedTest(name = "{0} calls in flight on average, latency {1}")
	@CsvSource({ "1, fixed", "2, fixed", "3, fixed", "4, fixed", "8, fixed", "16, fixed", "40, fixed",
			"1, exponential", "2, exponential", "3, exponential", "4, exponential", "8, exponential",
			"16, exponential", "40, exponential" })
	void leastRequestsGivesEachInstanceItsWeightsShareWithinFivePercent(int callsInFlight, String latency) {
		List<ServiceInstance> weighted = IntStream.rangeClosed(1, 4)
			.mapToObj((w) -> ServiceInstance.builder("svc", "10.0.1." + w, 8080).id("w" + w).weight(w).build())
			.toList();
		int calls = 100_000;
		SplittableRandom latencies = new SplittableRandom(7);
		ToLongFunction<ServiceInstance> latencyOf = latency.equals("fixed") ? (instance) -> FAST
				: (instance) -> (long) (-Math.log(1 - latencies.nextDouble()) * FAST);
		CallSimulation simulation = new CallSimulation(new PowerOfTwoChoicesLoadBalancer(Load.IN_FLIGHT, seeded()),
				weighted);

		Map<String, Integer> received = simulation.run(calls, FAST / callsInFlight, latencyOf);

		for (ServiceInstance instance : weighted) {
			double expected = calls * instance.weight() / 10.0;
			assertThat(received.get(instance.id()) / expected).as(instance.id()).isCloseTo(1, within(0.05));
		}
	}

	@Test
	void weightsAreHonouredWithoutCallTracking() {
		List<ServiceInstance> weighted = List.of(weighted("a", 1), weighted("b", 3));
		LoadBalancer balancer = new PowerOfTwoChoicesLoadBalancer(Load.IN_FLIGHT, seeded());

		long b = IntStream.range(0, 40_000).filter((i) -> balancer.choose(weighted, null).id().equals("b")).count();

		assertThat(b / 40_000.0).isCloseTo(0.75, within(0.01));
	}

	@Test
	void leastRequestsDrawsASecondCandidateOnlyWhenTheFirstHasCallsInFlight() {
		SplittableRandom source = new SplittableRandom(42);
		AtomicInteger draws = new AtomicInteger();
		RandomGenerator counting = () -> {
			draws.incrementAndGet();
			return source.nextLong();
		};
		ServiceBalancer balancer = new ServiceBalancer(
				BalancingPolicy.builder(new PowerOfTwoChoicesLoadBalancer(Load.IN_FLIGHT, () -> counting)).build(),
				() -> this.instances, System::nanoTime);
		for (int i = 0; i < 100; i++) {
			balancer.start(null).close();
		}
		assertThat(draws).hasValue(100);

		Set<ServiceInstance> busy = new HashSet<>();
		for (int i = 0; i < 1_000 && busy.size() < this.instances.size(); i++) {
			busy.add(balancer.start(null).instance());
		}
		assertThat(busy).hasSameSizeAs(this.instances);
		draws.set(0);
		for (int i = 0; i < 100; i++) {
			balancer.start(null).close();
		}
		assertThat(draws).hasValue(200);
	}

	@Test
	void latencyTriesAnInstanceNeverMeasuredFirst() {
		AtomicLong clock = new AtomicLong();
		List<ServiceInstance> first = this.instances.subList(0, 4);
		List<ServiceInstance> later = List.copyOf(this.instances);
		List<List<ServiceInstance>> up = new ArrayList<>(List.of(first));
		ServiceBalancer balancer = new ServiceBalancer(
				BalancingPolicy.builder(new PowerOfTwoChoicesLoadBalancer(Load.PEAK_EWMA, seeded())).build(),
				() -> up.get(0), clock::get);
		for (int i = 0; i < 40; i++) {
			ServiceCall call = balancer.start(null);
			clock.addAndGet(FAST);
			call.succeeded();
		}

		up.set(0, later);
		balancer.instancesChanged();

		assertThat(balancer.choose(null)).contains(this.instances.get(4));
	}

	@Test
	void latencyVisitsEveryUnmeasuredInstanceBeforeComparing() {
		AtomicLong clock = new AtomicLong();
		ServiceBalancer balancer = new ServiceBalancer(
				BalancingPolicy.builder(new PowerOfTwoChoicesLoadBalancer(Load.PEAK_EWMA, seeded())).build(),
				() -> this.instances, clock::get);

		List<String> firstCalls = new ArrayList<>();
		for (int i = 0; i < this.instances.size(); i++) {
			ServiceCall call = balancer.start(null);
			firstCalls.add(call.instance().id());
			clock.addAndGet(FAST);
			call.succeeded();
		}

		assertThat(firstCalls).containsExactlyInAnyOrder("i0", "i1", "i2", "i3", "i4");
	}

	@Test
	void latencyTriesAgainAnUnmeasuredInstanceWhoseCallEndedWithoutAnOutcome() {
		AtomicLong clock = new AtomicLong();
		ServiceBalancer balancer = new ServiceBalancer(
				BalancingPolicy.builder(new PowerOfTwoChoicesLoadBalancer(Load.PEAK_EWMA, seeded())).build(),
				() -> this.instances, clock::get);
		ServiceCall measured = balancer.start(null);
		clock.addAndGet(FAST);
		measured.succeeded();

		ServiceCall abandoned = balancer.start(null);
		abandoned.close();

		assertThat(balancer.start(null).instance()).isEqualTo(abandoned.instance());
	}

	private double slowShare(LoadBalancer strategy) {
		CallSimulation simulation = new CallSimulation(strategy, this.instances);
		Map<String, Integer> received = simulation.run(CALLS, FAST / 2,
				(instance) -> instance.id().equals("i0") ? SLOW : FAST);
		return received.getOrDefault("i0", 0) / (double) CALLS;
	}

	private static java.util.function.Supplier<java.util.random.RandomGenerator> seeded() {
		SplittableRandom random = new SplittableRandom(42);
		return () -> random;
	}

	private static ServiceInstance weighted(String id, int weight) {
		return ServiceInstance.builder("svc", "127.0.0.1", 8080).id(id).weight(weight).build();
	}

}
