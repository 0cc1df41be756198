package dev.discovery.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

class LoadBalancersTest {

	@Test
	void roundRobinVisitsEveryInstanceOncePerCycle() {
		List<ServiceInstance> instances = instances(5);
		LoadBalancer balancer = LoadBalancers.byName("round-robin");

		for (int cycle = 0; cycle < 3; cycle++) {
			List<ServiceInstance> picked = new ArrayList<>();
			for (int i = 0; i < instances.size(); i++) {
				picked.add(balancer.choose(instances, null));
			}
			assertThat(picked).containsExactlyElementsOf(instances);
		}
	}

	@Test
	void roundRobinUnderTwoThreadsVisitsEveryInstanceOncePerCycle() throws Exception {
		List<ServiceInstance> instances = instances(7);
		int cycles = 20_000;

		Map<String, Integer> total = pickInTwoThreads(LoadBalancers.byName("round-robin"), instances,
				cycles * instances.size() / 2);

		assertThat(total).hasSize(instances.size());
		assertThat(total.values()).containsOnly(cycles);
	}

	@Test
	void weightedUnderTwoThreadsFollowsTheCycleExactly() throws Exception {
		List<ServiceInstance> instances = List.of(weighted("a", 5), weighted("b", 1), weighted("c", 1));
		int cycles = 2_000;

		Map<String, Integer> total = pickInTwoThreads(LoadBalancers.byName("weighted"), instances, cycles * 7 / 2);

		assertThat(total).containsExactlyInAnyOrderEntriesOf(Map.of("a", 5 * cycles, "b", cycles, "c", cycles));
	}

	@Test
	void weightedFollowsTheSmoothNginxSequence() {
		ServiceInstance a = weighted("a", 5);
		ServiceInstance b = weighted("b", 1);
		ServiceInstance c = weighted("c", 1);
		List<ServiceInstance> instances = List.of(a, b, c);
		LoadBalancer balancer = LoadBalancers.byName("weighted");

		List<ServiceInstance> firstCycle = IntStream.range(0, 7).mapToObj((i) -> balancer.choose(instances, null)).toList();
		List<ServiceInstance> secondCycle = IntStream.range(0, 7).mapToObj((i) -> balancer.choose(instances, null)).toList();

		assertThat(firstCycle).containsExactly(a, a, b, a, c, a, a);
		assertThat(secondCycle).isEqualTo(firstCycle);
	}

	@Test
	void weightedGivesEachInstanceItsShare() {
		List<ServiceInstance> instances = List.of(weighted("a", 5), weighted("b", 1), weighted("c", 1));
		LoadBalancer balancer = LoadBalancers.byName("weighted");

		Map<String, Integer> counts = new HashMap<>();
		for (int i = 0; i < 7000; i++) {
			counts.merge(balancer.choose(instances, null).id(), 1, Integer::sum);
		}

		assertThat(counts).containsEntry("a", 5000).containsEntry("b", 1000).containsEntry("c", 1000);
	}

	@Test
	void weightedRecomputesWhenTheCandidatesChange() {
		LoadBalancer balancer = LoadBalancers.byName("weighted");
		List<ServiceInstance> before = List.of(weighted("a", 2), weighted("b", 1));
		List<ServiceInstance> after = List.of(weighted("c", 1), weighted("d", 3));
		balancer.choose(before, null);

		Map<String, Integer> counts = new HashMap<>();
		for (int i = 0; i < 400; i++) {
			counts.merge(balancer.choose(after, null).id(), 1, Integer::sum);
		}

		assertThat(counts).containsOnlyKeys("c", "d");
		assertThat(counts.get("d")).isEqualTo(300);
	}

	@Test
	void weightedKeepsRatiosWhenTheCycleWouldBeHuge() {
		List<ServiceInstance> instances = new ArrayList<>();
		for (int i = 0; i < 2000; i++) {
			instances.add(weighted("w" + i, (i % 2 == 0) ? 1000 : 999));
		}
		instances = List.copyOf(instances);
		LoadBalancer balancer = LoadBalancers.byName("weighted");

		Map<Integer, Integer> byWeight = new HashMap<>();
		for (int i = 0; i < 200_000; i++) {
			byWeight.merge(balancer.choose(instances, null).weight(), 1, Integer::sum);
		}

		assertThat(byWeight.get(1000) / (double) byWeight.get(999)).isCloseTo(1000 / 999.0, within(0.02));
	}

	/**
	 * Weighted takes a pick on a plain list from an array of instances in cycle order and a
	 * pick by position from the cycle's positions: two strategies, one picking each way,
	 * must follow one sequence, for a cycle held in order and for one too long to hold.
	 */
	@ParameterizedTest
	@ValueSource(ints = { 7, 2000 })
	void weightedPicksTheSameWhetherAskedForTheInstanceOrItsPosition(int size) {
		List<ServiceInstance> instances = IntStream.range(0, size)
			.mapToObj((i) -> weighted("w" + i, (size > 1000) ? 1000 - i % 2 : i % 3 + 1))
			.toList();
		LoadBalancer byInstance = LoadBalancers.byName("weighted");
		IndexedLoadBalancer byPosition = (IndexedLoadBalancer) LoadBalancers.byName("weighted");

		for (int i = 0; i < 3 * size; i++) {
			assertThat(byInstance.choose(instances, null)).isSameAs(instances.get(byPosition.chooseIndex(instances, null)));
		}
	}

	@Test
	void randomIsUniformByChiSquare() {
		int buckets = 10;
		int picks = 10_000;
		List<ServiceInstance> instances = instances(buckets);
		SplittableRandom random = new SplittableRandom(42);
		LoadBalancer balancer = new RandomLoadBalancer(random::nextInt);

		int[] counts = new int[buckets];
		for (int i = 0; i < picks; i++) {
			counts[instances.indexOf(balancer.choose(instances, null))]++;
		}

		double expected = picks / (double) buckets;
		double chiSquare = 0;
		for (int count : counts) {
			chiSquare += (count - expected) * (count - expected) / expected;
		}
		// Critical value of chi-square with 9 degrees of freedom at p = 0.001.
		assertThat(chiSquare).isLessThan(27.877);
	}

	@Test
	void randomWithTheDefaultGeneratorReachesEveryInstance() {
		List<ServiceInstance> instances = instances(4);
		LoadBalancer balancer = LoadBalancers.byName("random");

		List<ServiceInstance> picked = IntStream.range(0, 1000).mapToObj((i) -> balancer.choose(instances, null)).toList();

		assertThat(picked).containsAll(instances);
	}

	@ParameterizedTest
	@ValueSource(strings = { "round-robin", "random", "weighted", "least-requests", "latency", "consistent-hash" })
	void emptyCandidatesGiveNull(String strategy) {
		assertThat(LoadBalancers.byName(strategy).choose(Collections.emptyList(), null)).isNull();
		assertThat(LoadBalancers.byName(strategy).choose(List.of(), "key")).isNull();
	}

	@ParameterizedTest
	@ValueSource(strings = { "round-robin", "random", "weighted", "least-requests", "latency", "consistent-hash" })
	void singleCandidateIsAlwaysChosen(String strategy) {
		List<ServiceInstance> one = instances(1);
		LoadBalancer balancer = LoadBalancers.byName(strategy);

		for (int i = 0; i < 10; i++) {
			assertThat(balancer.choose(one, null)).isSameAs(one.get(0));
		}
	}

	@Test
	void unknownStrategyNamesTheKnownOnes() {
		assertThatIllegalArgumentException().isThrownBy(() -> LoadBalancers.byName("fastest"))
			.withMessage("Invalid load-balancer strategy 'fastest': must be one of [consistent-hash, latency, least-requests, random, round-robin, weighted]");
	}

	@Test
	void eachCallReturnsAnIndependentBalancer() {
		assertThat(LoadBalancers.byName("round-robin")).isNotSameAs(LoadBalancers.byName("round-robin"));
	}

	private static Map<String, Integer> pickInTwoThreads(LoadBalancer balancer, List<ServiceInstance> instances,
			int picksPerThread) throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(2);
		CountDownLatch start = new CountDownLatch(1);
		List<Future<Map<String, Integer>>> results = new ArrayList<>();
		for (int t = 0; t < 2; t++) {
			results.add(pool.submit(() -> {
				start.await();
				Map<String, Integer> counts = new HashMap<>();
				for (int i = 0; i < picksPerThread; i++) {
					counts.merge(balancer.choose(instances, null).id(), 1, Integer::sum);
				}
				return counts;
			}));
		}
		start.countDown();
		Map<String, Integer> total = new HashMap<>();
		try {
			for (Future<Map<String, Integer>> result : results) {
				result.get(30, TimeUnit.SECONDS).forEach((id, count) -> total.merge(id, count, Integer::sum));
			}
		}
		finally {
			pool.shutdownNow();
		}
		return total;
	}

	private static List<ServiceInstance> instances(int count) {
		return IntStream.range(0, count)
			.mapToObj((i) -> ServiceInstance.builder("svc", "10.0.0." + (i + 1), 8080).build())
			.toList();
	}

	private static ServiceInstance weighted(String id, int weight) {
		return ServiceInstance.builder("svc", "127.0.0.1", 8080).id(id).weight(weight).build();
	}

}
