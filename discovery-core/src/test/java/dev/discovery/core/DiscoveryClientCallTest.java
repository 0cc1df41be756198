package dev.discovery.core;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class DiscoveryClientCallTest {

	private final ScriptedBackend backend = new ScriptedBackend();

	private final AtomicLong clock = new AtomicLong();

	private final List<ServiceInstance> three = OutlierEjectionTest.instances(3);

	private final DiscoveryClient client = new DiscoveryClient(this.backend,
			(service) -> BalancingPolicy.builder(LoadBalancers.byName("round-robin"))
				.retries(new Retries(5, new Backoff(Duration.ofMillis(1), Duration.ofMillis(1))))
				.build(),
			this.clock::get);

	/**
	 * A plain choice counts round-robin on the strategy's counter without going through the
	 * strategy, and a tracked call goes through it: alternating the two must still visit
	 * each instance once per turn.
	 */
	@Test
	void choicesAndTrackedCallsTakeTurnsInOneRotation() {
		this.backend.set("svc", this.three);
		List<String> picked = new ArrayList<>();

		for (int i = 0; i < 6; i++) {
			if (i % 2 == 0) {
				picked.add(this.client.choose("svc").orElseThrow().id());
			}
			else {
				try (ServiceCall call = this.client.startCall("svc", null)) {
					picked.add(call.instance().id());
				}
			}
		}

		assertThat(picked.subList(0, 3)).containsExactlyInAnyOrderElementsOf(
				this.three.stream().map(ServiceInstance::id).toList());
		assertThat(picked.subList(3, 6)).isEqualTo(picked.subList(0, 3));
	}

	@Test
	void executeRetriesOnInstancesNotTriedYetUntilOneSucceeds() throws IOException {
		this.backend.set("svc", this.three);
		List<String> tried = new ArrayList<>();

		String result = this.client.execute("svc", (instance) -> {
			tried.add(instance.id());
			if (tried.size() < 3) {
				throw new IOException("refused by " + instance.id());
			}
			return instance.id();
		});

		assertThat(tried).doesNotHaveDuplicates().hasSize(3);
		assertThat(result).isEqualTo(tried.get(2));
	}

	@Test
	void executeGivesUpWhenEveryInstanceWasTriedWithEarlierFailuresSuppressed() {
		this.backend.set("svc", this.three);
		List<String> tried = new ArrayList<>();

		assertThatExceptionOfType(IOException.class).isThrownBy(() -> this.client.execute("svc", (instance) -> {
			tried.add(instance.id());
			throw new IOException("refused by " + instance.id());
		})).satisfies((ex) -> assertThat(ex.getSuppressed()).hasSize(1));
		assertThat(tried).doesNotHaveDuplicates().hasSize(3);
	}

	@Test
	void executeOfANonIdempotentCallAttemptsOnce() {
		this.backend.set("svc", this.three);
		List<String> tried = new ArrayList<>();

		assertThatExceptionOfType(IllegalStateException.class)
			.isThrownBy(() -> this.client.execute("svc", null, false, (instance) -> {
				tried.add(instance.id());
				throw new IllegalStateException("boom");
			}));
		assertThat(tried).hasSize(1);
	}

	@Test
	void executeWithoutInstancesNamesTheService() {
		assertThatExceptionOfType(ServiceUnavailableException.class)
			.isThrownBy(() -> this.client.execute("Nobody", (instance) -> "never"))
			.withMessage("No instance of service 'nobody' to call: it has no UP instance");
	}

	@Test
	void callsReportedThroughTheClientEjectAnInstanceForPlainChooseToo() {
		this.backend.set("svc", OutlierEjectionTest.instances(10));
		ServiceInstance failing = this.client.choose("svc").orElseThrow();
		for (int failures = 0; failures < 5;) {
			ServiceCall call = this.client.startCall("svc", null);
			if (call.instance().equals(failing)) {
				call.failed();
				failures++;
			}
			else {
				call.succeeded();
			}
		}

		for (int i = 0; i < 30; i++) {
			assertThat(this.client.choose("svc")).isNotEqualTo(java.util.Optional.of(failing));
		}
		this.clock.addAndGet(Duration.ofSeconds(30).toNanos());
		assertThat(java.util.stream.IntStream.range(0, 10).mapToObj((i) -> this.client.choose("svc").orElseThrow()))
			.contains(failing);
	}

	@Test
	void endingACallTwiceCountsOnce() {
		this.backend.set("svc", OutlierEjectionTest.instances(10));
		ServiceInstance failing = this.client.choose("svc").orElseThrow();
		for (int calls = 0; calls < 4;) {
			ServiceCall call = this.client.startCall("svc", null);
			if (call.instance().equals(failing)) {
				call.failed();
				call.failed();
				call.close();
				calls++;
			}
			call.close();
		}

		assertThat(java.util.stream.IntStream.range(0, 10).mapToObj((i) -> this.client.choose("svc").orElseThrow()))
			.contains(failing);
	}

}
