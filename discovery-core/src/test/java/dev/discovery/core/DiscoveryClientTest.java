package dev.discovery.core;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class DiscoveryClientTest {

	private final ScriptedBackend backend = new ScriptedBackend();

	private final ServiceInstance a = ServiceInstance.builder("orders", "10.0.0.1", 80).build();

	private final ServiceInstance b = ServiceInstance.builder("orders", "10.0.0.2", 80).build();

	@Test
	void firstLookupFetchesAndWatchesThenLookupsStayLocal() {
		this.backend.set("orders", List.of(this.b, this.a));
		DiscoveryClient client = new DiscoveryClient(this.backend);

		assertThat(client.getInstances("orders")).containsExactly(this.a, this.b);
		assertThat(client.getInstances("ORDERS")).containsExactly(this.a, this.b);
		client.choose("orders");
		client.getAllInstances("orders");

		assertThat(this.backend.fetches.get()).isEqualTo(1);
		assertThat(this.backend.watchers).containsOnlyKeys("orders");
		assertThat(client.getWatchedServices()).containsExactly("orders");
	}

	@Test
	void watchDeliveriesReplaceTheSnapshot() {
		this.backend.set("orders", List.of(this.a));
		DiscoveryClient client = new DiscoveryClient(this.backend);
		client.getInstances("orders");

		this.backend.deliver("orders", List.of(this.a, this.b.withStatus(InstanceStatus.STARTING)));

		assertThat(client.getInstances("orders")).containsExactly(this.a);
		assertThat(client.getAllInstances("orders")).containsExactly(this.a, this.b.withStatus(InstanceStatus.STARTING));
	}

	@Test
	void aSortedImmutableListFromTheBackendIsHeldAsItIsEvenWhenAnEqualOneCameBefore() {
		this.backend.set("orders", List.of(this.a, this.b));
		DiscoveryClient client = new DiscoveryClient(this.backend);
		client.getInstances("orders");
		List<ServiceInstance> delivered = List.of(this.a, this.b);

		this.backend.deliver("orders", delivered);

		assertThat(client.getInstances("orders")).isSameAs(delivered);
		assertThat(client.getAllInstances("orders")).isSameAs(delivered);
	}

	@Test
	void anUnsortedOrMutableListFromTheBackendIsCopiedInOrder() {
		List<ServiceInstance> unsorted = new ArrayList<>(List.of(this.b, this.a));
		this.backend.set("orders", unsorted);
		DiscoveryClient client = new DiscoveryClient(this.backend);

		List<ServiceInstance> held = client.getAllInstances("orders");
		unsorted.clear();

		assertThat(held).containsExactly(this.a, this.b);
	}

	@Test
	void chooseRoundRobinsOverUpInstancesOnly() {
		ServiceInstance down = ServiceInstance.builder("orders", "10.0.0.3", 80).status(InstanceStatus.DOWN).build();
		this.backend.set("orders", List.of(this.a, this.b, down));
		DiscoveryClient client = new DiscoveryClient(this.backend);

		List<ServiceInstance> picks = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			picks.add(client.choose("orders").orElseThrow());
		}

		assertThat(picks).containsExactly(this.a, this.b, this.a, this.b);
	}

	@Test
	void chooseReturnsTheSameOptionalForTheSameInstance() {
		this.backend.set("orders", List.of(this.a));
		DiscoveryClient client = new DiscoveryClient(this.backend);

		assertThat(client.choose("orders")).isSameAs(client.choose("orders"));
	}

	@Test
	void emptyServiceGivesEmptyChoice() {
		DiscoveryClient client = new DiscoveryClient(this.backend);

		assertThat(client.choose("nobody")).isEmpty();
		assertThat(client.choose("nobody", "key")).isEmpty();
		assertThat(client.getInstances("nobody")).isEmpty();
	}

	@Test
	void invalidNameIsRejectedWithoutReachingTheBackend() {
		DiscoveryClient client = new DiscoveryClient(this.backend);

		assertThatIllegalArgumentException().isThrownBy(() -> client.choose("bad/name"))
			.withMessageStartingWith("Invalid service name 'bad/name'");
		assertThat(this.backend.fetches.get()).isZero();
	}

	@Test
	void listenersReceiveTheDifferenceBetweenSnapshots() {
		this.backend.set("orders", List.of(this.a, this.b));
		DiscoveryClient client = new DiscoveryClient(this.backend);
		List<ServiceEvent> events = new ArrayList<>();
		client.addListener("orders", events::add);
		ServiceInstance c = ServiceInstance.builder("orders", "10.0.0.3", 80).build();
		ServiceInstance aDown = this.a.withStatus(InstanceStatus.DOWN);
		ServiceInstance bUpdated = this.b.toBuilder().weight(5).build();

		this.backend.deliver("orders", List.of(aDown, bUpdated, c));
		this.backend.deliver("orders", List.of(aDown, bUpdated, c));
		this.backend.deliver("orders", List.of(c));

		assertThat(events).containsExactly(new ServiceEvent(ServiceEvent.Type.STATUS_CHANGED, this.a, aDown),
				new ServiceEvent(ServiceEvent.Type.UPDATED, this.b, bUpdated),
				new ServiceEvent(ServiceEvent.Type.REGISTERED, null, c),
				new ServiceEvent(ServiceEvent.Type.DEREGISTERED, aDown, null),
				new ServiceEvent(ServiceEvent.Type.DEREGISTERED, bUpdated, null));
	}

	@Test
	void globalListenersHearEveryWatchedService() {
		this.backend.set("orders", List.of(this.a));
		ServiceInstance billing = ServiceInstance.builder("billing", "10.0.0.9", 80).build();
		DiscoveryClient client = new DiscoveryClient(this.backend);
		List<ServiceEvent> events = new ArrayList<>();
		client.addListener(events::add);
		client.getInstances("orders");
		client.getInstances("billing");

		this.backend.deliver("orders", List.of());
		this.backend.deliver("billing", List.of(billing));

		assertThat(events).containsExactly(new ServiceEvent(ServiceEvent.Type.DEREGISTERED, this.a, null),
				new ServiceEvent(ServiceEvent.Type.REGISTERED, null, billing));
	}

	@Test
	void failingListenerDoesNotStopOthers() {
		this.backend.set("orders", List.of(this.a));
		DiscoveryClient client = new DiscoveryClient(this.backend);
		List<ServiceEvent> events = new ArrayList<>();
		client.addListener("orders", (event) -> {
			throw new IllegalStateException("on purpose");
		});
		client.addListener("orders", events::add);

		this.backend.deliver("orders", List.of(this.a, this.b));

		assertThat(events).hasSize(1);
		assertThat(client.getInstances("orders")).hasSize(2);
	}

	@Test
	void closedListenerReceivesNothing() throws Exception {
		this.backend.set("orders", List.of(this.a));
		DiscoveryClient client = new DiscoveryClient(this.backend);
		List<ServiceEvent> events = new ArrayList<>();
		AutoCloseable subscription = client.addListener("orders", events::add);

		subscription.close();
		this.backend.deliver("orders", List.of(this.a, this.b));

		assertThat(events).isEmpty();
	}

	@Test
	void unreachableRegistryKeepsTheLastViewAndReportsStale() {
		this.backend.set("orders", List.of(this.a, this.b));
		DiscoveryClient client = new DiscoveryClient(this.backend);
		client.getInstances("orders");
		assertThat(client.isStale()).isFalse();

		this.backend.reachable = false;

		assertThat(client.isStale()).isTrue();
		assertThat(client.getInstances("orders")).containsExactly(this.a, this.b);
		assertThat(client.choose("orders")).isPresent();
	}

	@Test
	void firstLookupOfAnUnreachableRegistryFailsAndIsRetried() {
		this.backend.reachable = false;
		DiscoveryClient client = new DiscoveryClient(this.backend);

		assertThatExceptionOfType(DiscoveryException.class).isThrownBy(() -> client.getInstances("orders"))
			.withMessageContaining("unreachable");

		this.backend.reachable = true;
		this.backend.set("orders", List.of(this.a));
		assertThat(client.getInstances("orders")).containsExactly(this.a);
	}

	@Test
	void eachServiceGetsItsOwnBalancer() {
		List<String> asked = new ArrayList<>();
		DiscoveryClient client = new DiscoveryClient(this.backend, (service) -> {
			asked.add(service);
			return LoadBalancers.byName("round-robin");
		});

		client.choose("orders");
		client.choose("Orders");
		client.choose("billing");

		assertThat(asked).containsExactly("orders", "billing");
	}

	@Test
	void serviceGivesOneHandlePerServiceWhateverTheCase() {
		this.backend.set("orders", List.of(this.a));
		DiscoveryClient client = new DiscoveryClient(this.backend);

		ServiceHandle handle = client.service("Orders");

		assertThat(client.service("orders")).isSameAs(handle);
		assertThat(handle.name()).isEqualTo("orders");
		assertThat(this.backend.fetches.get()).isEqualTo(1);
		assertThat(client.getWatchedServices()).containsExactly("orders");
	}

	/**
	 * Two threads look up the same services for the first time, one from each end, so that
	 * they race to add most of them; a handle lost between two additions would show as a
	 * second handle, and a second read of the registry, for its name.
	 */
	@Test
	void threadsRacingOnFirstLookupsGetOneHandlePerService() throws Exception {
		int services = 2000;
		DiscoveryClient client = new DiscoveryClient(this.backend);
		ServiceHandle[][] seen = new ServiceHandle[2][services];
		CountDownLatch start = new CountDownLatch(1);
		List<Thread> threads = new ArrayList<>();
		for (int t = 0; t < 2; t++) {
			int thread = t;
			threads.add(new Thread(() -> {
				awaitQuietly(start);
				for (int i = 0; i < services; i++) {
					int service = (thread == 0) ? i : services - 1 - i;
					seen[thread][service] = client.service("service-" + service);
				}
			}));
		}
		threads.forEach(Thread::start);
		start.countDown();
		for (Thread thread : threads) {
			thread.join();
		}

		for (int i = 0; i < services; i++) {
			assertThat(seen[1][i]).as("service-%d", i).isSameAs(seen[0][i]);
			assertThat(seen[0][i].name()).isEqualTo("service-" + i);
			assertThat(client.service("service-" + i)).isSameAs(seen[0][i]);
		}
		assertThat(this.backend.fetches.get()).isEqualTo(services);
		assertThat(client.getWatchedServices()).hasSize(services);
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Test
	void handleSharesTheBalancerWithTheByNameMethodsAndFollowsTheWatch() {
		this.backend.set("orders", List.of(this.a, this.b));
		DiscoveryClient client = new DiscoveryClient(this.backend);
		ServiceHandle handle = client.service("orders");

		assertThat(handle.choose()).contains(this.a);
		assertThat(client.choose("orders")).contains(this.b);
		assertThat(client.choose("ORDERS")).contains(this.a);

		this.backend.deliver("orders", List.of(this.b));

		assertThat(handle.instances()).containsExactly(this.b);
		assertThat(handle.allInstances()).containsExactly(this.b);
		assertThat(handle.choose()).contains(this.b);
		assertThat(handle.choose()).contains(this.b);
		assertThat(client.choose("orders")).contains(this.b);
	}

	@Test
	void handleOfAClosedClientRefusesToServe() {
		this.backend.set("orders", List.of(this.a));
		DiscoveryClient client = new DiscoveryClient(this.backend);
		ServiceHandle handle = client.service("orders");
		assertThat(handle.choose()).contains(this.a);

		client.close();

		assertThatIllegalStateException().isThrownBy(handle::choose).withMessage("DiscoveryClient is closed");
		assertThatIllegalStateException().isThrownBy(handle::instances);
		assertThatIllegalStateException().isThrownBy(() -> client.service("orders"));
		assertThatIllegalStateException().isThrownBy(() -> client.choose("orders"));
		assertThat(this.backend.fetches.get()).isEqualTo(1);
	}

	@Test
	void serviceWhoseFirstLookupFailedIsNotWatched() {
		this.backend.reachable = false;
		DiscoveryClient client = new DiscoveryClient(this.backend);

		assertThatExceptionOfType(DiscoveryException.class).isThrownBy(() -> client.choose("orders"));

		assertThat(client.getWatchedServices()).isEmpty();
		this.backend.reachable = true;
		this.backend.set("orders", List.of(this.a));
		assertThat(client.choose("orders")).contains(this.a);
		assertThat(client.getWatchedServices()).containsExactly("orders");
	}

	@Test
	void closeEndsEveryWatch() {
		DiscoveryClient client = new DiscoveryClient(this.backend);
		client.getInstances("orders");
		client.getInstances("billing");

		client.close();

		assertThat(this.backend.watchers).isEmpty();
		assertThat(client.getWatchedServices()).isEmpty();
	}

}
