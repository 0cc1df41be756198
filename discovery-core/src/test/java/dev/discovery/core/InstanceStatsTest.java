package dev.discovery.core;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class InstanceStatsTest {

	private static final long MILLIS = TimeUnit.MILLISECONDS.toNanos(1);

	@Test
	void aCallIsInFlightUntilItsFirstEndAndOnlyThatEndCounts() {
		List<ServiceInstance> up = OutlierEjectionTest.instances(1);
		ServiceBalancer balancer = new ServiceBalancer(
				BalancingPolicy.builder(LoadBalancers.byName("least-requests")).build(), () -> up, () -> 0);
		InstanceStats stats = new InstanceStats();
		stats.started();
		ServiceCall call = new ServiceCall(new CallTarget(balancer, up.get(0), stats), false, 0);

		int during = stats.inFlight();
		call.succeeded();
		call.failed();
		call.close();

		assertThat(during).isEqualTo(1);
		assertThat(stats.inFlight()).isZero();
		assertThat(stats.failed()).as("failures in a row, counting a new one").isEqualTo(1);
	}

	@Test
	void callsStartedAndEndedOnTwoThreadsAtOnceLeaveNoneInFlight() throws InterruptedException {
		InstanceStats stats = new InstanceStats();
		int perThread = 200_000;
		CountDownLatch go = new CountDownLatch(1);
		Runnable calls = () -> {
			awaitQuietly(go);
			for (int i = 0; i < perThread; i++) {
				stats.started();
				stats.ended();
			}
		};
		Thread first = new Thread(calls);
		Thread second = new Thread(calls);
		first.start();
		second.start();

		go.countDown();
		first.join();
		second.join();

		assertThat(stats.inFlight()).isZero();
		assertThat(stats.started()).isEqualTo(2 * perThread);
		assertThat(stats.inFlight()).isEqualTo(1);
	}

	@Test
	void theEstimateJumpsToASlowerSampleAndDecaysLikeExpWithoutSamples() {
		InstanceStats stats = new InstanceStats();

		stats.succeeded(MILLIS, 0);
		stats.succeeded(10 * MILLIS, 0);

		assertThat(stats.latency(0)).isEqualTo(10.0 * MILLIS);
		assertThat(stats.latency(TimeUnit.SECONDS.toNanos(10)) / (10 * MILLIS)).isCloseTo(Math.exp(-1), within(0.03));
		assertThat(stats.latency(TimeUnit.SECONDS.toNanos(60)) / (10 * MILLIS)).isCloseTo(Math.exp(-6), within(0.03));
	}

	@Test
	void aFasterSampleMovesTheEstimateByHowLongItWentWithoutSamples() {
		InstanceStats stats = new InstanceStats();
		stats.succeeded(10 * MILLIS, 0);

		stats.succeeded(0, TimeUnit.SECONDS.toNanos(10));

		assertThat(stats.latency(TimeUnit.SECONDS.toNanos(10)) / (10 * MILLIS)).isCloseTo(Math.exp(-1), within(0.03));
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
