package dev.discovery.spring;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import dev.discovery.core.Backoff;
import dev.discovery.core.BalancingPolicy;
import dev.discovery.core.DiscoveryClient;
import dev.discovery.core.LoadBalancers;
import dev.discovery.core.Retries;
import dev.discovery.core.ServiceInstance;
import dev.discovery.core.testserver.FreePorts;
import dev.discovery.core.testserver.NamedServer;
import dev.discovery.inmemory.InMemoryBackend;
import dev.discovery.inmemory.InMemoryRegistry;
import dev.discovery.spring.web.WebClientCalls;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFunction;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class LoadBalancerExchangeFilterFunctionTests {

	private static final Duration TIMEOUT = WebClientCalls.TIMEOUT;

	private final InMemoryRegistry registry = new InMemoryRegistry();

	private final InMemoryBackend backend = new InMemoryBackend(this.registry, Duration.ofSeconds(10));

	private final DiscoveryClient client = new DiscoveryClient(this.backend);

	private final WebClient http = WebClient.builder().filter(new LoadBalancerExchangeFilterFunction(this.client)).build();

	private final List<NamedServer> servers = new CopyOnWriteArrayList<>();

	@AfterEach
	void stop() {
		this.servers.forEach(NamedServer::close);
		this.client.close();
		this.backend.close();
		this.registry.close();
	}

	@Test
	void requestGoesToTheChosenInstanceWithPathAndQueryKept() throws IOException {
		NamedServer a = server("a");
		NamedServer.register(this.backend, this.client, "orders", a);

		String body = this.http.get()
			.uri(URI.create("http://orders/items/42?sort=asc&q=a%20b"))
			.retrieve()
			.bodyToMono(String.class)
			.block(TIMEOUT);

		assertThat(body).isEqualTo("hello from a");
		assertThat(a.requests()).containsExactly("GET /items/42?sort=asc&q=a%20b");
	}

	@Test
	void requestsForAServiceNameAreSpreadOverItsInstances() throws IOException {
		NamedServer a = server("a");
		NamedServer b = server("b");
		NamedServer.register(this.backend, this.client, "orders", a, b);

		for (int i = 0; i < 4; i++) {
			get("http://orders/ping");
		}

		assertThat(a.requests()).hasSize(2);
		assertThat(b.requests()).hasSize(2);
	}

	@Test
	void refusedConnectionOfAGetIsRetriedOnAnotherInstance() throws IOException {
		NamedServer live = server("live");
		registerDeadInstance("orders");
		NamedServer.register(this.backend, this.client, "orders", live);

		for (int i = 0; i < 4; i++) {
			assertThat(get("http://orders/ping")).isEqualTo("hello from live");
		}
		assertThat(live.requests()).hasSize(4);
	}

	@Test
	void refusedConnectionOfAPostIsNotRetried() throws IOException {
		NamedServer live = server("live");
		registerDeadInstance("orders");
		NamedServer.register(this.backend, this.client, "orders", live);

		List<Throwable> failures = new CopyOnWriteArrayList<>();
		int posts = 0;
		while (failures.isEmpty() && posts < 4) {
			posts++;
			this.http.post()
				.uri("http://orders/pay")
				.bodyValue("x")
				.retrieve()
				.toBodilessEntity()
				.onErrorResume((ex) -> {
					failures.add(ex);
					return Mono.empty();
				})
				.block(TIMEOUT);
		}

		assertThat(failures).singleElement()
			.isInstanceOf(WebClientRequestException.class)
			.extracting(Throwable::getCause)
			.isInstanceOf(ConnectException.class);
		assertThat(live.requests()).hasSize(posts - 1);
	}

	@Test
	void serverErrorOfAGetIsRetriedOnAnotherInstanceAndOfAPostIsReturned() throws IOException {
		NamedServer failing = server("a");
		NamedServer live = server("b");
		failing.failing(true);
		NamedServer.register(this.backend, this.client, "orders", failing, live);

		for (int i = 0; i < 4; i++) {
			assertThat(get("http://orders/ping")).isEqualTo("hello from b");
		}
		assertThat(failing.requests()).isNotEmpty();
		assertThat(live.requests()).hasSize(4);

		List<Integer> statuses = WebClientCalls.postUntilServerError(this.http, "http://orders/pay");
		assertThat(statuses).contains(500);
		assertThat(live.requests().stream().filter((request) -> request.startsWith("POST"))).hasSize(statuses.size() - 1);
	}

	@Test
	void unknownServiceFailsNamingItWithoutTryingDns() {
		assertThatException()
			.isThrownBy(() -> this.http.get().uri("http://no-such-service/ping").retrieve().bodyToMono(String.class)
				.block(TIMEOUT))
			.havingRootCause()
			.isInstanceOf(NoInstanceAvailableException.class)
			.withMessage("No instance of service 'no-such-service' to call: it has no UP instance");
	}

	@Test
	void backOffBeforeARetryIsWaitedOnATimerInsteadOfTheSubscribingThread() {
		Retries slowRetries = new Retries(2, new Backoff(Duration.ofMillis(300), Duration.ofMillis(300)));
		try (DiscoveryClient slow = new DiscoveryClient(this.backend,
				(service) -> BalancingPolicy.builder(LoadBalancers.byName("round-robin")).retries(slowRetries).build(),
				System::nanoTime)) {
			registerStub(slow, "orders", "a", "b");
			List<String> retryThreads = new CopyOnWriteArrayList<>();
			AtomicInteger attempts = new AtomicInteger();
			ExchangeFunction stub = (request) -> {
				if (attempts.getAndIncrement() == 0) {
					return Mono.error(new ConnectException("refused"));
				}
				retryThreads.add(Thread.currentThread().getName());
				return Mono.just(ClientResponse.create(HttpStatus.OK).build());
			};

			new LoadBalancerExchangeFilterFunction(slow).filter(request("http://orders/ping"), stub).subscribe();

			Awaitility.await().atMost(TIMEOUT).until(() -> !retryThreads.isEmpty());
			assertThat(retryThreads).singleElement().asString().startsWith("parallel-");
		}
	}

	@Test
	void cancelledRequestEndsItsAttemptWithoutAnOutcome() {
		try (DiscoveryClient latency = new DiscoveryClient(this.backend, LoadBalancers.byName("latency"))) {
			registerStub(latency, "orders", "a", "b");
			List<Integer> called = new CopyOnWriteArrayList<>();
			ExchangeFunction hanging = (request) -> {
				called.add(request.url().getPort());
				return Mono.never();
			};
			LoadBalancerExchangeFilterFunction filter = new LoadBalancerExchangeFilterFunction(latency);

			filter.filter(request("http://orders/ping"), hanging).subscribe().dispose();
			filter.filter(request("http://orders/ping"), hanging).subscribe().dispose();

			assertThat(called).hasSize(2).containsOnly(called.get(0));
		}
	}

	private String get(String uri) {
		return WebClientCalls.get(this.http, uri);
	}

	private NamedServer server(String name) throws IOException {
		NamedServer server = new NamedServer(name);
		this.servers.add(server);
		return server;
	}

	private void registerDeadInstance(String service) {
		this.backend.register(ServiceInstance.builder(service, "127.0.0.1", FreePorts.pick(1)[0]).id("a-dead").build());
	}

	/**
	 * Registers instances on ports 1, 2, ... that are never connected to, for filters
	 * called with a stub exchange function.
	 */
	private void registerStub(DiscoveryClient client, String service, String... ids) {
		for (int i = 0; i < ids.length; i++) {
			this.backend.register(ServiceInstance.builder(service, "127.0.0.1", i + 1).id(ids[i]).build());
		}
		Awaitility.await().atMost(TIMEOUT).until(() -> client.getInstances(service).size() == ids.length);
	}

	private static ClientRequest request(String uri) {
		return ClientRequest.create(HttpMethod.GET, URI.create(uri)).build();
	}

}
