package dev.discovery.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class OutlierEjectionTest {

	private static final Duration BASE = Duration.ofSeconds(30);

	private final AtomicLong clock = new AtomicLong(-5_000_000_000L);

	@Test
	void fiveFailuresInARowEjectButFourDoNot() {
		List<ServiceInstance> instances = instances(10);
		ServiceBalancer balancer = balancer(instances, OutlierDetection.DEFAULTS, 50);
		ServiceInstance failing = instances.get(3);

		fail(balancer, failing, 4);
		assertThat(picks(balancer, 100)).contains(failing);

		fail(balancer, failing, 1);
		assertThat(picks(balancer, 100)).doesNotContain(failing).hasSize(9);
	}

	@Test
	void aSuccessResetsTheFailuresInARow() {
		List<ServiceInstance> instances = instances(10);
		ServiceBalancer balancer = balancer(instances, OutlierDetection.DEFAULTS, 50);
		ServiceInstance failing = instances.get(0);

		fail(balancer, failing, 4);
		callOn(balancer, failing).succeeded();
		fail(balancer, failing, 4);

		assertThat(picks(balancer, 100)).contains(failing);
	}

	@Test
	void ejectionEndsExactlyAfterTheBaseTimeTimesTheEjectionsCappedAtTheMaximum() {
		List<ServiceInstance> instances = instances(10);
		OutlierDetection detection = new OutlierDetection(5, BASE, Duration.ofSeconds(70), 10);
		ServiceBalancer balancer = balancer(instances, detection, 50);
		ServiceInstance failing = instances.get(0);

		for (long expected : new long[] { 30, 60, 70, 70 }) {
			fail(balancer, failing, 5);
			this.clock.addAndGet(Duration.ofSeconds(expected).toNanos() - 1);
			assertThat(picks(balancer, 100)).as("just before %d s", expected).doesNotContain(failing);
			this.clock.addAndGet(1);
			assertThat(picks(balancer, 100)).as("at %d s", expected).contains(failing);
		}
	}

	@Test
	void ejectionCountStartsOverAfterTheMaximumTimeInRotation() {
		List<ServiceInstance> instances = instances(10);
		OutlierDetection detection = new OutlierDetection(5, BASE, Duration.ofSeconds(70), 10);
		ServiceBalancer balancer = balancer(instances, detection, 50);
		ServiceInstance failing = instances.get(0);
		fail(balancer, failing, 5);
		this.clock.addAndGet(BASE.toNanos());

		this.clock.addAndGet(Duration.ofSeconds(70).toNanos() + 1);
		fail(balancer, failing, 5);
		this.clock.addAndGet(BASE.toNanos());

		assertThat(picks(balancer, 100)).contains(failing);
	}

	@Test
	void atMostTenPercentAreEjectedAndAlwaysAtLeastOne() {
		List<ServiceInstance> ten = instances(10);
		ServiceBalancer small = balancer(ten, OutlierDetection.DEFAULTS, 0);
		fail(small, ten.get(0), 5);
		fail(small, ten.get(1), 5);
		assertThat(picks(small, 100)).doesNotContain(ten.get(0)).contains(ten.get(1));

		List<ServiceInstance> twenty = instances(20);
		ServiceBalancer large = balancer(twenty, OutlierDetection.DEFAULTS, 0);
		fail(large, twenty.get(0), 5);
		fail(large, twenty.get(1), 5);
		fail(large, twenty.get(2), 5);
		assertThat(picks(large, 200)).doesNotContain(twenty.get(0), twenty.get(1)).contains(twenty.get(2));
	}

	@Test
	void aFreedEjectionSlotCanBeTakenAgain() {
		List<ServiceInstance> ten = instances(10);
		ServiceBalancer balancer = balancer(ten, OutlierDetection.DEFAULTS, 0);
		fail(balancer, ten.get(0), 5);
		this.clock.addAndGet(BASE.toNanos());

		fail(balancer, ten.get(1), 5);

		assertThat(picks(balancer, 100)).contains(ten.get(0)).doesNotContain(ten.get(1));
	}

	@Test
	void aSingleInstanceIsEjectedButStillChosenInPanic() {
		List<ServiceInstance> one = instances(1);
		ServiceBalancer balancer = balancer(one, OutlierDetection.DEFAULTS, 50);

		fail(balancer, one.get(0), 5);

		assertThat(picks(balancer, 10)).containsExactly(one.get(0));
		assertThat(balancer(one, OutlierDetection.DEFAULTS, 0)).satisfies((noPanic) -> {
			fail(noPanic, one.get(0), 5);
			assertThat(noPanic.choose(null)).isEmpty();
			assertThat(noPanic.start(null)).isNull();
		});
	}

	@Test
	void whenEveryInstanceIsEjectedAllOfThemAreChosenAgain() {
		List<ServiceInstance> three = instances(3);
		ServiceBalancer balancer = balancer(three, new OutlierDetection(5, BASE, BASE, 100), 50);

		three.forEach((instance) -> fail(balancer, instance, 5));

		assertThat(picks(balancer, 30)).containsExactlyInAnyOrderElementsOf(three);
	}

	@Test
	void panicStartsJustBelowTheThreshold() {
		List<ServiceInstance> four = instances(4);
		OutlierDetection half = new OutlierDetection(5, BASE, BASE, 50);
		ServiceBalancer atThreshold = balancer(four, half, 50);
		ServiceBalancer belowThreshold = balancer(four, half, 51);
		for (ServiceBalancer balancer : List.of(atThreshold, belowThreshold)) {
			fail(balancer, four.get(0), 5);
			fail(balancer, four.get(1), 5);
		}

		assertThat(picks(atThreshold, 40)).containsExactlyInAnyOrder(four.get(2), four.get(3));
		assertThat(picks(belowThreshold, 40)).containsExactlyInAnyOrderElementsOf(four);
	}

	@Test
	void outlierDetectionCanBeTurnedOff() {
		List<ServiceInstance> ten = instances(10);
		ServiceBalancer balancer = balancer(ten, new OutlierDetection(0, BASE, BASE, 10), 50);

		fail(balancer, ten.get(0), 50);

		assertThat(picks(balancer, 100)).contains(ten.get(0));
	}

	@Test
	void invalidSettingsNameTheFieldAndTheRule() {
		assertThatIllegalArgumentException().isThrownBy(() -> new OutlierDetection(-1, BASE, BASE, 10))
			.withMessage("Invalid consecutive failures '-1': must be between 0 and 2147483647");
		assertThatIllegalArgumentException().isThrownBy(() -> new OutlierDetection(5, BASE, Duration.ofSeconds(1), 10))
			.withMessage("Invalid max ejection time 'PT1S': must not be below the base ejection time PT30S");
		assertThatIllegalArgumentException().isThrownBy(() -> new OutlierDetection(5, BASE, BASE, 0))
			.withMessage("Invalid max ejection percent '0': must be between 1 and 100");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> BalancingPolicy.builder(LoadBalancers.byName("random")).panicThreshold(101))
			.withMessage("Invalid panic threshold '101': must be between 0 and 100");
	}

	private ServiceBalancer balancer(List<ServiceInstance> instances, OutlierDetection detection, int panicThreshold) {
		BalancingPolicy policy = BalancingPolicy.builder(LoadBalancers.byName("round-robin"))
			.outlierDetection(detection)
			.panicThreshold(panicThreshold)
			.build();
		return new ServiceBalancer(policy, () -> instances, this.clock::get);
	}

	private static void fail(ServiceBalancer balancer, ServiceInstance instance, int times) {
		for (int i = 0; i < times; i++) {
			callOn(balancer, instance).failed();
		}
	}

	private static ServiceCall callOn(ServiceBalancer balancer, ServiceInstance instance) {
		for (int i = 0; i < 1000; i++) {
			ServiceCall call = balancer.start(null);
			if (call.instance().equals(instance)) {
				return call;
			}
			call.close();
		}
		throw new AssertionError(instance.id() + " is never chosen");
	}

	private static Set<ServiceInstance> picks(ServiceBalancer balancer, int count) {
		Set<ServiceInstance> picked = new HashSet<>();
		for (int i = 0; i < count; i++) {
			picked.add(balancer.choose(null).orElseThrow());
		}
		return picked;
	}

	static List<ServiceInstance> instances(int count) {
		return List.copyOf(IntStream.range(0, count)
			.mapToObj((i) -> ServiceInstance.builder("svc", "10.0.0." + (i + 1), 8080).id("i" + (char) ('a' + i)).build())
			.collect(java.util.stream.Collectors.toCollection(ArrayList::new)));
	}

}
