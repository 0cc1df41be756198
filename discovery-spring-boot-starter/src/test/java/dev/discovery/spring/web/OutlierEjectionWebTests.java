package dev.discovery.spring.web;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import dev.discovery.core.DiscoveryBackend;
import dev.discovery.core.DiscoveryClient;
import dev.discovery.core.ServiceInstance;
import dev.discovery.spring.LoadBalanced;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three real HTTP servers behind the in-memory registry, called through a
 * {@code @LoadBalanced RestClient}: a server that starts failing is ejected and comes back.
 */
@SpringBootTest(classes = OutlierEjectionWebTests.Caller.class, webEnvironment = WebEnvironment.NONE,
		properties = { "spring.application.name=caller", "discovery.backend=inmemory",
				"discovery.registration.enabled=false", "discovery.load-balancer.services.greeting.base-ejection-time=1s",
				"discovery.load-balancer.services.greeting.retry-backoff=5ms",
				"discovery.load-balancer.services.keyed.strategy=consistent-hash",
				"discovery.load-balancer.services.keyed.hash-header=X-User" })
class OutlierEjectionWebTests {

	@Autowired
	private DiscoveryBackend backend;

	@Autowired
	private DiscoveryClient client;

	@Autowired
	@LoadBalanced
	private RestClient.Builder builder;

	private final List<Server> servers = new ArrayList<>();

	private RestClient http;

	@BeforeEach
	void start() throws IOException {
		for (String name : List.of("a", "b", "c")) {
			this.servers.add(new Server(name));
		}
		this.http = this.builder.build();
	}

	@AfterEach
	void stop() {
		this.servers.forEach((server) -> server.http.stop(0));
	}

	@Test
	void failingServerIsEjectedAfterFiveFailuresWithoutFailingACallAndComesBackAfterRecovering() {
		register("greeting");
		Server failing = this.servers.get(2);
		assertThat(callRepeatedly(30)).containsExactlyInAnyOrder("a", "b", "c");

		failing.failing.set(true);
		int before = failing.requests.get();
		Awaitility.await()
			.atMost(Duration.ofSeconds(10))
			.pollInterval(Duration.ofMillis(10))
			.until(() -> call() != null && failing.requests.get() - before >= 5);

		assertThat(failing.requests.get() - before).isEqualTo(5);
		Set<String> chosen = new HashSet<>();
		for (int i = 0; i < 20; i++) {
			chosen.add(this.client.choose("greeting").orElseThrow().id());
		}
		assertThat(chosen).containsExactlyInAnyOrder("greeting-a", "greeting-b");
		assertThat(callRepeatedly(10)).containsOnly("a", "b");

		failing.failing.set(false);
		int ejected = failing.requests.get();
		Awaitility.await()
			.atMost(Duration.ofSeconds(10))
			.pollInterval(Duration.ofMillis(10))
			.until(() -> call() != null && failing.requests.get() > ejected);
		assertThat(callRepeatedly(30)).containsExactlyInAnyOrder("a", "b", "c");
	}

	@Test
	void sameHashHeaderGoesToTheSameServer() {
		register("keyed");

		Set<String> forAlice = new HashSet<>();
		Set<String> anyone = new HashSet<>();
		for (int i = 0; i < 30; i++) {
			forAlice.add(get("keyed", "alice"));
			anyone.add(get("keyed", "user-" + i));
		}

		assertThat(forAlice).hasSize(1);
		assertThat(anyone).hasSizeGreaterThan(1);
	}

	@Test
	void serverErrorOfANonIdempotentRequestIsReturnedWithoutRetry() {
		register("greeting");
		this.servers.forEach((server) -> server.failing.set(true));

		HttpStatusCode status = this.http.post()
			.uri("http://greeting/hello")
			.body("x")
			.exchange((request, response) -> response.getStatusCode());

		assertThat(status.value()).isEqualTo(500);
		assertThat(this.servers.stream().mapToInt((server) -> server.requests.get()).sum()).isEqualTo(1);
	}

	/**
	 * Makes one user call, which must succeed.
	 * @return the name of the server that answered
	 */
	private String call() {
		String body = this.http.get().uri("http://greeting/hello").retrieve().body(String.class);
		assertThat(body).startsWith("hello from ");
		return body.substring("hello from ".length());
	}

	private List<String> callRepeatedly(int times) {
		List<String> answered = new ArrayList<>();
		for (int i = 0; i < times; i++) {
			answered.add(call());
		}
		return answered.stream().distinct().toList();
	}

	private String get(String service, String user) {
		return this.http.get().uri("http://" + service + "/hello").header("X-User", user).retrieve().body(String.class);
	}

	private void register(String service) {
		for (Server server : this.servers) {
			this.backend.register(ServiceInstance.builder(service, "127.0.0.1", server.http.getAddress().getPort())
				.id(service + "-" + server.name)
				.build());
		}
		Awaitility.await()
			.atMost(Duration.ofSeconds(5))
			.until(() -> this.client.getInstances(service).size() == this.servers.size());
	}

	/**
	 * A local HTTP server that answers with its name, or with 500 while failing.
	 */
	private static final class Server {

		private final String name;

		private final HttpServer http;

		private final AtomicBoolean failing = new AtomicBoolean();

		private final AtomicInteger requests = new AtomicInteger();

		Server(String name) throws IOException {
			this.name = name;
			this.http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
			this.http.createContext("/", (exchange) -> {
				this.requests.incrementAndGet();
				exchange.getRequestBody().readAllBytes();
				int status = this.failing.get() ? 500 : 200;
				byte[] body = ((status == 200) ? "hello from " + name : "failing").getBytes(StandardCharsets.UTF_8);
				exchange.sendResponseHeaders(status, body.length);
				exchange.getResponseBody().write(body);
				exchange.close();
			});
			this.http.start();
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class Caller {

	}

}
