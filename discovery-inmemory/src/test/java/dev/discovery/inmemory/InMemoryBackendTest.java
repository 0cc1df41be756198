package dev.discovery.inmemory;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import dev.discovery.core.InstanceStatus;
import dev.discovery.core.Registration;
import dev.discovery.core.ServiceInstance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class InMemoryBackendTest {

	private final InMemoryRegistry registry = new InMemoryRegistry();

	private final InMemoryBackend backend = new InMemoryBackend(this.registry, Duration.ofSeconds(5));

	@AfterEach
	void close() {
		this.backend.close();
		this.registry.close();
	}

	@Test
	void invalidInstanceIsRejectedAndNothingRegisteredIsLost() {
		ServiceInstance existing = ServiceInstance.builder("orders", "10.0.0.1", 8080).build();
		Registration registration = this.backend.register(existing);

		assertThatIllegalArgumentException().isThrownBy(() -> this.backend.register(
				ServiceInstance.builder("orders", "10.0.0.2", 70000).build()))
			.withMessage("Invalid port '70000': must be between 1 and 65535");
		assertThatIllegalArgumentException().isThrownBy(() -> this.backend.register(
				ServiceInstance.builder("orders/../admin", "10.0.0.2", 80).build()))
			.withMessageStartingWith("Invalid service name 'orders/../admin'");

		assertThat(this.backend.instances("orders")).containsExactly(existing);
		assertThat(this.backend.services()).containsExactly("orders");
		assertThat(registration.instance()).isEqualTo(existing);
	}

	@Test
	void statusChangeAfterCloseIsRefused() {
		Registration registration = this.backend.register(ServiceInstance.builder("orders", "h", 1).build());
		registration.close();

		assertThatIllegalStateException().isThrownBy(() -> registration.setStatus(InstanceStatus.DOWN))
			.withMessageContaining("closed");
		assertThat(this.backend.instances("orders")).isEmpty();
	}

	@Test
	void backendsOnTheSharedRegistrySeeEachOther() {
		try (InMemoryBackend first = new InMemoryBackend(); InMemoryBackend second = new InMemoryBackend()) {
			ServiceInstance instance = ServiceInstance.builder("shared-registry-test", "h", 1).build();
			first.register(instance);

			assertThat(second.instances("shared-registry-test")).isEqualTo(List.of(instance));
		}
	}

	@Test
	void nonPositiveTtlIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> new InMemoryBackend(this.registry, Duration.ZERO))
			.withMessage("Invalid ttl 'PT0S': must be a positive duration");
	}

	@Test
	void closeEndsTheBackendThreads() {
		long before = backendThreads();
		InMemoryBackend other = new InMemoryBackend(this.registry, Duration.ofSeconds(1));
		other.watch("orders", (list) -> {
		});
		other.register(ServiceInstance.builder("orders", "h", 2).build());
		org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> backendThreads() > before);

		other.close();

		org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> backendThreads() == before);
	}

	@Test
	void closedBackendLeavesNoWatchInTheRegistry() {
		assertRegistryLetsGoOfTheListener(InMemoryBackend::close);
	}

	@Test
	void abandonedBackendLeavesNoWatchInTheRegistry() {
		assertRegistryLetsGoOfTheListener(InMemoryBackend::abandon);
	}

	/**
	 * Watches a service from a second backend, ends that backend without closing the watch,
	 * changes the service, and waits until the garbage collector has reclaimed the watch's
	 * listener: only a registry that still held the watch would keep it reachable.
	 */
	private void assertRegistryLetsGoOfTheListener(Consumer<InMemoryBackend> end) {
		InMemoryBackend watching = new InMemoryBackend(this.registry, Duration.ofSeconds(5));
		AtomicInteger deliveries = new AtomicInteger();
		Consumer<List<ServiceInstance>> listener = (instances) -> deliveries.incrementAndGet();
		WeakReference<Object> reference = new WeakReference<>(listener);
		watching.watch("inventory", listener);
		org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> deliveries.get() > 0);

		end.accept(watching);
		listener = null;
		int delivered = deliveries.get();
		this.backend.register(ServiceInstance.builder("inventory", "h", 4).build());

		org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
			System.gc();
			return reference.get() == null;
		});
		assertThat(deliveries).hasValue(delivered);
	}

	@Test
	void abandonedRegistrationIsLeftToExpireAndWritesNothingMore() {
		InMemoryBackend crashed = new InMemoryBackend(this.registry, Duration.ofSeconds(1));
		ServiceInstance instance = ServiceInstance.builder("orders", "h", 3).build();
		Registration registration = crashed.register(instance);

		crashed.abandon();
		registration.setStatus(InstanceStatus.OUT_OF_SERVICE);
		registration.close();
		crashed.close();

		assertThat(this.backend.instances("orders")).containsExactly(instance);
		org.awaitility.Awaitility.await()
			.atMost(Duration.ofSeconds(5))
			.until(() -> this.backend.instances("orders").isEmpty());
		assertThatIllegalStateException().isThrownBy(() -> crashed.register(instance));
	}

	private static long backendThreads() {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((thread) -> thread.isAlive() && thread.getName().startsWith("discovery-inmemory-")
					&& !thread.getName().equals("discovery-inmemory-sweeper"))
			.count();
	}

}
