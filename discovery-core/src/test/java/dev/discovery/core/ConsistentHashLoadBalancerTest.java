package dev.discovery.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ConsistentHashLoadBalancerTest {

	private static final int KEYS = 10_000;

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

	private static Map<String, ServiceInstance> assign(LoadBalancer balancer, List<ServiceInstance> candidates) {
		Map<String, ServiceInstance> assigned = new HashMap<>();
		for (int i = 0; i < KEYS; i++) {
			String key = "user-" + i;
			assigned.put(key, balancer.choose(candidates, key));
		}
		return assigned;
	}

}
