package dev.discovery.core;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ZoneAffinityAndFilterTest {

	private final AtomicLong clock = new AtomicLong();

	private final ServiceInstance a1 = instance("a1", "zone-a");

	private final ServiceInstance a2 = instance("a2", "zone-a");

	private final ServiceInstance b1 = instance("b1", "zone-b");

	private final ServiceInstance b2 = instance("b2", "zone-b");

	private final List<ServiceInstance> all = List.of(this.a1, this.a2, this.b1, this.b2);

	private final OutlierDetection halfMayBeEjected = new OutlierDetection(1, Duration.ofSeconds(30),
			Duration.ofSeconds(30), 50);

	@Test
	void callerZoneIsPreferredWhileEnoughOfItRemains() {
		ServiceBalancer atThreshold = zoned(50);
		ServiceBalancer belowThreshold = zoned(51);
		assertThat(picks(atThreshold)).containsExactlyInAnyOrder(this.a1, this.a2);

		for (ServiceBalancer balancer : List.of(atThreshold, belowThreshold)) {
			failOnce(balancer, this.a1);
		}

		assertThat(picks(atThreshold)).containsExactly(this.a2);
		assertThat(picks(belowThreshold)).containsExactlyInAnyOrder(this.a2, this.b1, this.b2);
	}

	@Test
	void whenTheCallerZoneHasNoAvailableInstanceEveryZoneIsUsed() {
		ServiceBalancer balancer = zoned(0);

		failOnce(balancer, this.a1);
		failOnce(balancer, this.a2);

		assertThat(picks(balancer)).containsExactlyInAnyOrder(this.b1, this.b2);
	}

	@Test
	void aZoneWithoutInstancesFallsBackToEveryZone() {
		BalancingPolicy policy = BalancingPolicy.builder(LoadBalancers.byName("round-robin")).zone("zone-c", 50).build();

		assertThat(picks(new ServiceBalancer(policy, () -> this.all, this.clock::get)))
			.containsExactlyInAnyOrderElementsOf(this.all);
	}

	@Test
	void retriesLeaveTheCallerZoneOnlyWhenEveryInstanceInItWasTried() throws InterruptedException {
		ServiceBalancer balancer = zoned(50);
		ServiceCall first = balancer.start(null);
		ServiceCall second = first.retry();
		ServiceCall third = second.retry();

		assertThat(List.of(first.instance(), second.instance())).containsExactlyInAnyOrder(this.a1, this.a2);
		assertThat(third.instance().zone()).isEqualTo("zone-b");
		assertThat(third.retry()).as("two retries by default").isNull();
	}

	@Test
	void aCallerThatMustNotBlockGetsTheBackoffAndThenTheSameRetries() {
		ServiceBalancer balancer = zoned(50);
		ServiceCall first = balancer.start(null);

		Duration delay = first.retryDelay();
		ServiceCall second = first.retryNow();
		ServiceCall third = second.retryNow();

		assertThat(delay).isBetween(Duration.ofNanos(500_000), Duration.ofMillis(1));
		assertThat(List.of(first.instance(), second.instance())).containsExactlyInAnyOrder(this.a1, this.a2);
		assertThat(third.instance().zone()).isEqualTo("zone-b");
		assertThat(third.retryDelay()).as("two retries by default").isNull();
		assertThat(third.retryNow()).isNull();
	}

	@Test
	void filterKeepsInstancesWithEveryTagAndMetadataEntry() {
		ServiceInstance v2 = ServiceInstance.builder("svc", "10.0.0.1", 80).id("v2").metadata("version", "2").tag("eu").build();
		ServiceInstance v2us = ServiceInstance.builder("svc", "10.0.0.2", 80).id("v2us").metadata("version", "2").build();
		ServiceInstance v1 = ServiceInstance.builder("svc", "10.0.0.3", 80).id("v1").metadata("version", "1").tag("eu").build();
		List<ServiceInstance> instances = List.of(v2, v2us, v1);
		BalancingPolicy policy = BalancingPolicy.builder(LoadBalancers.byName("round-robin"))
			.filter(new InstanceFilter(Set.of("eu"), Map.of("version", "2")))
			.build();

		assertThat(picks(new ServiceBalancer(policy, () -> instances, this.clock::get))).containsExactly(v2);
		assertThat(new InstanceFilter(Set.of(), Map.of("version", "2")).matches(v2us)).isTrue();
		assertThat(InstanceFilter.ANY.matches(v1)).isTrue();
	}

	private ServiceBalancer zoned(int threshold) {
		BalancingPolicy policy = BalancingPolicy.builder(LoadBalancers.byName("round-robin"))
			.zone("ZONE-A", threshold)
			.outlierDetection(this.halfMayBeEjected)
			.panicThreshold(0)
			.retries(new Retries(2, new Backoff(Duration.ofMillis(1), Duration.ofMillis(1))))
			.build();
		return new ServiceBalancer(policy, () -> this.all, this.clock::get);
	}

	private static void failOnce(ServiceBalancer balancer, ServiceInstance instance) {
		for (int i = 0; i < 100; i++) {
			ServiceCall call = balancer.start(null);
			if (call.instance().equals(instance)) {
				call.failed();
				return;
			}
			call.close();
		}
		throw new AssertionError(instance.id() + " is never chosen");
	}

	private static Set<ServiceInstance> picks(ServiceBalancer balancer) {
		Set<ServiceInstance> picked = new HashSet<>();
		for (int i = 0; i < 40; i++) {
			picked.add(balancer.choose(null).orElseThrow());
		}
		return picked;
	}

	private static ServiceInstance instance(String id, String zone) {
		return ServiceInstance.builder("svc", "10.0.0.1", 8080).id(id).zone(zone).build();
	}

}
