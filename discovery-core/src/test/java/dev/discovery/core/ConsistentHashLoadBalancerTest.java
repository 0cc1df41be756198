package dev.discovery.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class ConsistentHashLoadBalancerTest {

	private static final int KEYS = 10_000;

	private static final List<String> MANY_KEYS = IntStream.range(0, 200_000).mapToObj((i) -> "user-" + i).toList();

	private final List<ServiceInstance> ten = IntStream.range(0, 10)
		.mapToObj((i) -> ServiceInstance.builder("svc", "10.0.0." + (i + 1), 8080).build())
		.toList();

	@Test
	void sameKeyGoesToTheSameInstanceWhileMembershipIsUnchanged() {
		LoadBalancer balancer = LoadBalancers.byName("consistent-hash");
		Map<String, ServiceInstance> first = assign(balancer, this.ten);

		assertThat(assign(balancer, this.ten)).isEqualTo(first);
		assertThat(assign(LoadBalancers.byName("consistent-hash"), List.copyOf(this.ten))).isEqualTo(first);
	}

	@Test
	void whenOneOfTenLeavesOnlyItsKeysMoveAndAtMostOnePointFiveTenths() {
		LoadBalancer balancer = LoadBalancers.byName("consistent-hash");
		Map<String, ServiceInstance> before = assign(balancer, this.ten);
		for (ServiceInstance leaving : this.ten) {
			List<ServiceInstance> nine = new ArrayList<>(this.ten);
			nine.remove(leaving);

			Map<String, ServiceInstance> after = assign(balancer, List.copyOf(nine));

			long moved = before.keySet().stream().filter((key) -> !before.get(key).equals(after.get(key))).count();
			long owned = before.values().stream().filter(leaving::equals).count();
			assertThat(moved).as("keys moved when %s left", leaving.id()).isEqualTo(owned).isLessThanOrEqualTo(KEYS * 15 / 100);
		}
	}

	@ParameterizedTest
	@ValueSource(ints = { 10, 100, 1000 })
	void whenOneOfNLeavesOnlyItsKeysMoveAndAtMostTwoNths(int n) {
		List<ServiceInstance> all = instances(n);
		Map<String, ServiceInstance> before = assignMany(all);
		Map<ServiceInstance, Integer> owned = new HashMap<>();
		before.values().forEach((instance) -> owned.merge(instance, 1, Integer::sum));
		ServiceInstance largestOwner = Collections.max(owned.entrySet(), Map.Entry.comparingByValue()).getKey();
		for (ServiceInstance leaving : List.of(largestOwner, all.get(0), all.get(n - 1))) {
			List<ServiceInstance> staying = new ArrayList<>(all);
			staying.remove(leaving);

			Map<String, ServiceInstance> after = assignMany(List.copyOf(staying));

			List<String> moved = MANY_KEYS.stream().filter((key) -> !before.get(key).equals(after.get(key))).toList();
			assertThat(moved).as("keys moved when %s of %d left", leaving.id(), n)
				.allSatisfy((key) -> assertThat(before.get(key)).isEqualTo(leaving))
				.hasSizeLessThanOrEqualTo(2 * MANY_KEYS.size() / n);
		}
	}

	@ParameterizedTest
	@ValueSource(ints = { 10, 100, 1000 })
	void whenOneJoinsNOnlyKeysItTakesMoveAndAtMostTwoNths(int n) {
		List<ServiceInstance> all = instances(n + 1);
		ServiceInstance joining = all.get(n);
		Map<String, ServiceInstance> before = assignMany(all.subList(0, n));

		Map<String, ServiceInstance> after = assignMany(all);

		List<String> moved = MANY_KEYS.stream().filter((key) -> !before.get(key).equals(after.get(key))).toList();
		assertThat(moved).as("keys moved when one joined %d", n)
			.allSatisfy((key) -> assertThat(after.get(key)).isEqualTo(joining))
			.hasSizeLessThanOrEqualTo(2 * MANY_KEYS.size() / (n + 1));
	}

	@Test
	void theRingDoesNotDependOnTheOrderOfTheCandidates() {
		List<ServiceInstance> ordered = instances(1000);
		List<ServiceInstance> shuffled = new ArrayList<>(ordered);
		Collections.shuffle(shuffled, new Random(42));

		assertThat(assignMany(List.copyOf(shuffled))).isEqualTo(assignMany(ordered));
	}

	@Test
	void keysSpreadEvenlyOverEqualInstances() {
		Map<ServiceInstance, Integer> counts = new HashMap<>();
		assignMany(this.ten).values().forEach((instance) -> counts.merge(instance, 1, Integer::sum));

		assertThat(counts).hasSize(10);
		assertThat(counts.values()).allSatisfy((count) -> assertThat(count / (double) MANY_KEYS.size()).isBetween(0.07, 0.13));
	}

	@Test
	void keysSpreadOverAThousandInstancesWithinHalfOfAnEvenShare() {
		int n = 1000;
		Map<ServiceInstance, Integer> counts = new HashMap<>();
		assignMany(instances(n)).values().forEach((instance) -> counts.merge(instance, 1, Integer::sum));

		double evenShare = MANY_KEYS.size() / (double) n;
		assertThat(counts).hasSize(n);
		assertThat(counts.values()).allSatisfy((count) -> assertThat(count / evenShare).isBetween(0.5, 1.5));
	}

	@Test
	void keysSpreadOverEveryInstanceInProportionToWeight() {
		List<ServiceInstance> weighted = List.of(
				ServiceInstance.builder("svc", "10.0.0.1", 8080).weight(1).build(),
				ServiceInstance.builder("svc", "10.0.0.2", 8080).weight(3).build());
		Map<ServiceInstance, Integer> counts = new HashMap<>();
		assign(LoadBalancers.byName("consistent-hash"), weighted).values()
			.forEach((instance) -> counts.merge(instance, 1, Integer::sum));

		assertThat(counts.get(weighted.get(1)) / (double) KEYS).isBetween(0.65, 0.85);
	}

	@Test
	void requestsWithoutKeyAreSpreadRoundRobin() {
		LoadBalancer balancer = LoadBalancers.byName("consistent-hash");

		List<ServiceInstance> picked = IntStream.range(0, 10).mapToObj((i) -> balancer.choose(this.ten, null)).toList();

		assertThat(picked).containsExactlyElementsOf(this.ten);
	}

	@Test
	void aPickByInstanceAndAPickByPositionAgree() {
		ConsistentHashLoadBalancer byInstance = new ConsistentHashLoadBalancer();
		ConsistentHashLoadBalancer byPosition = new ConsistentHashLoadBalancer();
		List<ServiceInstance> candidates = instances(100);

		for (int i = 0; i < KEYS; i++) {
			String key = "user-" + i;
			assertThat(byInstance.choose(candidates, key))
				.isSameAs(candidates.get(byPosition.chooseIndex(candidates, key)));
		}
		assertThat(byInstance.choose(List.of(), "user-1")).isNull();
		assertThat(byPosition.chooseIndex(List.of(), "user-1")).isEqualTo(-1);
	}

	private static List<ServiceInstance> instances(int n) {
		return IntStream.range(0, n)
			.mapToObj((i) -> ServiceInstance.builder("svc", "10.0." + (i / 250) + "." + (i % 250 + 1), 8080).build())
			.toList();
	}

	private static Map<String, ServiceInstance> assignMany(List<ServiceInstance> candidates) {
		LoadBalancer balancer = LoadBalancers.byName("consistent-hash");
		Map<String, ServiceInstance> assigned = new HashMap<>();
		for (String key : MANY_KEYS) {
			assigned.put(key, balancer.choose(candidates, key));
		}
		return assigned;
	}

	private static Map<String, ServiceInstance> assign(LoadBalancer balancer, List<ServiceInstance> candidates) {
		Map<String, ServiceInstance> assigned = new HashMap<>();
		for (int i = 0; i < KEYS; i++) {
			String key = "user-" + i;
			assigned.put(key, balancer.choose(candidates, key));
		}
		return assigned;
	}

}
