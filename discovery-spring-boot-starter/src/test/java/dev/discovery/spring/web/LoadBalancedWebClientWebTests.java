package dev.discovery.spring.web;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import dev.discovery.core.DiscoveryBackend;
import dev.discovery.core.DiscoveryClient;
import dev.discovery.core.testserver.NamedServer;
import dev.discovery.spring.LoadBalanced;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real HTTP servers behind the in-memory registry, called through the starter's
 * {@code @LoadBalanced WebClient.Builder}, injected as a user would.
 */
@SpringBootTest(classes = LoadBalancedWebClientWebTests.Caller.class, webEnvironment = WebEnvironment.NONE,
		properties = { "spring.application.name=caller", "discovery.backend=inmemory",
				"discovery.registration.enabled=false" })
class LoadBalancedWebClientWebTests {

	@Autowired
	private DiscoveryBackend backend;

	@Autowired
	private DiscoveryClient client;

	@Autowired
	@LoadBalanced
	private WebClient.Builder builder;

	private final List<NamedServer> servers = new ArrayList<>();

	@AfterEach
	void stop() {
		this.servers.forEach(NamedServer::close);
	}

	@Test
	void callsAServiceByNameAcrossItsInstances() throws IOException {
		NamedServer.register(this.backend, this.client, "greeting", server("a"), server("b"));
		WebClient http = this.builder.build();

		List<String> answers = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			answers.add(WebClientCalls.get(http, "http://greeting/hello"));
		}

		assertThat(answers).containsOnly("hello from a", "hello from b").contains("hello from a", "hello from b");
	}

	@Test
	void serverErrorOfAGetIsRetriedOnAnotherInstanceAndOfAPostIsNot() throws IOException {
		NamedServer failing = server("a");
		NamedServer live = server("b");
		failing.failing(true);
		NamedServer.register(this.backend, this.client, "failing-greeting", failing, live);
		WebClient http = this.builder.build();

		for (int i = 0; i < 4; i++) {
			assertThat(WebClientCalls.get(http, "http://failing-greeting/hello")).isEqualTo("hello from b");
		}
		List<Integer> statuses = WebClientCalls.postUntilServerError(http, "http://failing-greeting/hello");

		assertThat(statuses).contains(500);
		assertThat(failing.requests()).contains("GET /hello", "POST /hello");
		assertThat(live.requests()).filteredOn((request) -> request.startsWith("GET")).hasSize(4);
		assertThat(live.requests()).filteredOn((request) -> request.startsWith("POST")).hasSize(statuses.size() - 1);
	}

	private NamedServer server(String name) throws IOException {
		NamedServer server = new NamedServer(name);
		this.servers.add(server);
		return server;
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class Caller {

	}

}
