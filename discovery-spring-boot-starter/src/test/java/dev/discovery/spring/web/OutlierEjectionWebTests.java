package dev.discovery.spring.web;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.discovery.core.DiscoveryBackend;
import dev.discovery.core.DiscoveryClient;
import dev.discovery.core.testserver.NamedServer;
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

	private final List<NamedServer> servers = new ArrayList<>();

	private RestClient http;

	@BeforeEach
	void start() throws IOException {
		for (String name : List.of("a", "b", "c")) {
			this.servers.add(new NamedServer(name));
		}
		this.http = this.builder.build();
	}

	@AfterEach
	void stop() {
		this.servers.forEach(NamedServer::close);
	}

	@Test
	void failingServerIsEjectedAfterFiveFailuresWithoutFailingACallAndComesBackAfterRecovering() {
		register("greeting");
		NamedServer failing = this.servers.get(2);
		assertThat(callRepeatedly(30)).containsExactlyInAnyOrder("a", "b", "c");

		failing.failing(true);
		int before = failing.requests().size();
		Awaitility.await()
			.atMost(Duration.ofSeconds(10))
			.pollInterval(Duration.ofMillis(10))
			.until(() -> call() != null && failing.requests().size() - before >= 5);

		assertThat(failing.requests().size() - before).isEqualTo(5);
		Set<String> chosen = new HashSet<>();
		for (int i = 0; i < 20; i++) {
			chosen.add(this.client.choose("greeting").orElseThrow().id());
		}
		assertThat(chosen).containsExactlyInAnyOrder("greeting-a", "greeting-b");
		assertThat(callRepeatedly(10)).containsOnly("a", "b");

		failing.failing(false);
		int ejected = failing.requests().size();
		Awaitility.await()
			.atMost(Duration.ofSeconds(10))
			.pollInterval(Duration.ofMillis(10))
			.until(() -> call() != null && failing.requests().size() > ejected);
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
		this.servers.forEach((server) -> server.failing(true));

		HttpStatusCode status = this.http.post()
			.uri("http://greeting/hello")
			.body("x")
			.exchange((request, response) -> response.getStatusCode());

		assertThat(status.value()).isEqualTo(500);
		assertThat(this.servers.stream().mapToInt((server) -> server.requests().size()).sum()).isEqualTo(1);
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
		NamedServer.register(this.backend, this.client, service, this.servers.toArray(NamedServer[]::new));
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class Caller {

	}

}
