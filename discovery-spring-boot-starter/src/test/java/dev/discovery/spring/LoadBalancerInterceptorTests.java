package dev.discovery.spring;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;
import dev.discovery.core.DiscoveryClient;
import dev.discovery.core.LoadBalancers;
import dev.discovery.core.ServiceInstance;
import dev.discovery.core.testserver.FreePorts;
import dev.discovery.inmemory.InMemoryBackend;
import dev.discovery.inmemory.InMemoryRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class LoadBalancerInterceptorTests {

	private final InMemoryRegistry registry = new InMemoryRegistry();

	private final InMemoryBackend backend = new InMemoryBackend(this.registry, Duration.ofSeconds(10));

	private final DiscoveryClient client = new DiscoveryClient(this.backend);

	private final List<String> requests = new CopyOnWriteArrayList<>();

	private HttpServer server;

	private RestClient http;

	@BeforeEach
	void startServer() throws IOException {
		this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.server.createContext("/", (exchange) -> {
			this.requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
			byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
			exchange.sendResponseHeaders(200, body.length);
			exchange.getResponseBody().write(body);
			exchange.close();
		});
		this.server.start();
		this.http = RestClient.builder().requestInterceptor(new LoadBalancerInterceptor(this.client)).build();
	}

	@AfterEach
	void stop() {
		this.server.stop(0);
		this.client.close();
		this.backend.close();
		this.registry.close();
	}

	@Test
	void requestGoesToTheChosenInstanceWithPathAndQueryKept() {
		register("orders", "a", this.server.getAddress().getPort());

		String body = this.http.get()
			.uri(URI.create("http://orders/items/42?sort=asc&q=a%20b")).retrieve().body(String.class);

		assertThat(body).isEqualTo("ok");
		assertThat(this.requests).containsExactly("GET /items/42?sort=asc&q=a%20b");
	}

	@Test
	void connectionFailureOfAnIdempotentRequestIsRetriedOnAnotherInstance() {
		int closedPort = FreePorts.pick(1)[0];
		register("orders", "a-dead", closedPort);
		register("orders", "b-live", this.server.getAddress().getPort());

		for (int i = 0; i < 4; i++) {
			assertThat(this.http.get().uri("http://orders/ping").retrieve().body(String.class)).isEqualTo("ok");
		}
		assertThat(this.requests).hasSize(4);
	}

	@Test
	void connectionFailureOfANonIdempotentRequestIsNotRetried() {
		int closedPort = FreePorts.pick(1)[0];
		register("orders", "only-dead", closedPort);
		register("orders", "z-live", this.server.getAddress().getPort());

		assertThatExceptionOfType(ResourceAccessException.class)
			.isThrownBy(() -> this.http.post().uri("http://orders/pay").body("x").retrieve().toBodilessEntity());
		assertThat(this.requests).isEmpty();
	}

	@Test
	void unknownServiceFailsNamingItWithoutTryingDns() {
		assertThatExceptionOfType(ResourceAccessException.class)
			.isThrownBy(() -> this.http.get().uri("http://no-such-service/ping").retrieve().body(String.class))
			.withRootCauseInstanceOf(NoInstanceAvailableException.class)
			.withMessageContaining("No instance of service 'no-such-service' to call: it has no UP instance");
	}

	@Test
	void requestFailingWithAnUncheckedExceptionEndsItsAttemptWithoutAnOutcome() {
		try (DiscoveryClient latency = new DiscoveryClient(this.backend, LoadBalancers.byName("latency"))) {
			this.backend.register(ServiceInstance.builder("orders", "127.0.0.1", 1).id("a").build());
			this.backend.register(ServiceInstance.builder("orders", "127.0.0.1", 2).id("b").build());
			org.awaitility.Awaitility.await()
				.atMost(Duration.ofSeconds(5))
				.until(() -> latency.getInstances("orders").size() == 2);
			List<Integer> ports = new CopyOnWriteArrayList<>();
			RestClient rejecting = RestClient.builder()
				.requestInterceptor(new LoadBalancerInterceptor(latency))
				.requestInterceptor((request, body, execution) -> {
					ports.add(request.getURI().getPort());
					throw new IllegalStateException("rejected");
				})
				.build();

			for (int i = 0; i < 2; i++) {
				assertThatIllegalStateException()
					.isThrownBy(() -> rejecting.get().uri("http://orders/ping").retrieve().toBodilessEntity());
			}

			assertThat(ports).hasSize(2).containsOnly(ports.get(0));
		}
	}

	private void register(String service, String id, int port) {
		this.backend.register(ServiceInstance.builder(service, "127.0.0.1", port).id(id).build());
		org.awaitility.Awaitility.await()
			.atMost(Duration.ofSeconds(5))
			.until(() -> this.client.getInstances(service).stream().anyMatch((instance) -> instance.id().equals(id)));
	}

}
