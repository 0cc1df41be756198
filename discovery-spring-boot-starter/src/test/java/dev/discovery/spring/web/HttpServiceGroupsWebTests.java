package dev.discovery.spring.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.discovery.core.DiscoveryBackend;
import dev.discovery.core.DiscoveryClient;
import dev.discovery.core.LoadBalancer;
import dev.discovery.spring.LoadBalancerCustomizer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.registry.HttpServiceGroup.ClientType;
import org.springframework.web.service.registry.ImportHttpServices;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * HTTP service client groups of both client types, called as a user would, against real
 * HTTP servers behind the in-memory registry: the groups meant for service discovery (no
 * base URL, {@code lb://<service>}, {@code http://<service>}) call the service by name and
 * retry a failing instance's requests on another, and a group with an ordinary base URL is
 * left alone. The failing instance is never ejected, so that every test sees it tried.
 */
@SpringBootTest(classes = HttpServiceGroupsWebTests.Caller.class, webEnvironment = WebEnvironment.NONE,
		properties = { "spring.application.name=caller", "discovery.backend=inmemory",
				"discovery.registration.enabled=false", "discovery.load-balancer.consecutive-failures=0",
				"spring.http.serviceclient.lb-rest.base-url=lb://greeting",
				"spring.http.serviceclient.lb-web.base-url=lb://greeting/api",
				"spring.http.serviceclient.single-label.base-url=http://echo" })
class HttpServiceGroupsWebTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static final NamedServer failing = start("a");

	private static final NamedServer live = start("b");

	private static final NamedServer direct = start("direct");

	@Autowired
	private DiscoveryBackend backend;

	@Autowired
	private DiscoveryClient client;

	@Autowired
	private List<String> choices;

	@Autowired
	private NoBaseUrlRestClient noBaseUrlRest;

	@Autowired
	private LbRestClient lbRest;

	@Autowired
	private SingleLabelRestClient singleLabelRest;

	@Autowired
	private PlainRestClient plainRest;

	@Autowired
	private NoBaseUrlWebClient noBaseUrlWeb;

	@Autowired
	private LbWebClient lbWeb;

	@DynamicPropertySource
	static void plainBaseUrl(DynamicPropertyRegistry registry) {
		registry.add("spring.http.serviceclient.plain.base-url", () -> "http://localhost:" + direct.port());
	}

	@AfterAll
	static void stop() {
		List.of(failing, live, direct).forEach(NamedServer::close);
	}

	@BeforeEach
	void register() {
		failing.failing(true);
		NamedServer.register(this.backend, this.client, "greeting", failing, live);
		NamedServer.register(this.backend, this.client, "echo", failing, live);
	}

	@Test
	void restClientGroupWithoutBaseUrlCallsTheServiceNamedAfterItAndRetriesOnAnotherInstance() {
		assertCallsReachTheLiveInstanceOnly(() -> this.noBaseUrlRest.hello(), "GET /hello");
	}

	@Test
	void restClientGroupWithAnLbBaseUrlCallsTheServiceAndRetriesOnAnotherInstance() {
		assertCallsReachTheLiveInstanceOnly(() -> this.lbRest.hello(), "GET /hello");
	}

	@Test
	void restClientGroupWithAServiceAsHttpBaseUrlCallsTheServiceAndRetriesOnAnotherInstance() {
		assertCallsReachTheLiveInstanceOnly(() -> this.singleLabelRest.hello(), "GET /hello");
	}

	@Test
	void webClientGroupWithoutBaseUrlCallsTheServiceNamedAfterItAndRetriesOnAnotherInstance() {
		assertCallsReachTheLiveInstanceOnly(() -> this.noBaseUrlWeb.hello().block(TIMEOUT), "GET /hello");
	}

	@Test
	void webClientGroupWithAnLbBaseUrlCallsTheServiceAndRetriesOnAnotherInstance() {
		assertCallsReachTheLiveInstanceOnly(() -> this.lbWeb.hello().block(TIMEOUT), "GET /api/hello");
	}

	@Test
	void groupWithAnOrdinaryBaseUrlIsLeftAlone() {
		int choicesBefore = this.choices.size();
		int requestsBefore = direct.requests().size();

		assertThat(this.plainRest.hello()).isEqualTo("hello from direct");

		assertThat(direct.requests()).hasSize(requestsBefore + 1);
		assertThat(this.choices).hasSize(choicesBefore);
	}

	private void assertCallsReachTheLiveInstanceOnly(Call call, String request) {
		int failedBefore = failing.requests().size();
		int answeredBefore = live.requests().size();
		for (int i = 0; i < 4; i++) {
			assertThat(call.hello()).isEqualTo("hello from b");
		}
		assertThat(failing.requests().subList(failedBefore, failing.requests().size())).isNotEmpty()
			.containsOnly(request);
		assertThat(live.requests().subList(answeredBefore, live.requests().size())).hasSize(4).containsOnly(request);
	}

	private static NamedServer start(String name) {
		try {
			return new NamedServer(name);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@FunctionalInterface
	interface Call {

		String hello();

	}

	interface NoBaseUrlRestClient {

		@GetExchange("/hello")
		String hello();

	}

	interface LbRestClient {

		@GetExchange("/hello")
		String hello();

	}

	interface SingleLabelRestClient {

		@GetExchange("/hello")
		String hello();

	}

	interface PlainRestClient {

		@GetExchange("/hello")
		String hello();

	}

	interface NoBaseUrlWebClient {

		@GetExchange("/hello")
		Mono<String> hello();

	}

	interface LbWebClient {

		@GetExchange("/hello")
		Mono<String> hello();

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@ImportHttpServices(group = "greeting", types = NoBaseUrlRestClient.class, clientType = ClientType.REST_CLIENT)
	@ImportHttpServices(group = "lb-rest", types = LbRestClient.class, clientType = ClientType.REST_CLIENT)
	@ImportHttpServices(group = "single-label", types = SingleLabelRestClient.class,
			clientType = ClientType.REST_CLIENT)
	@ImportHttpServices(group = "plain", types = PlainRestClient.class, clientType = ClientType.REST_CLIENT)
	@ImportHttpServices(group = "echo", types = NoBaseUrlWebClient.class, clientType = ClientType.WEB_CLIENT)
	@ImportHttpServices(group = "lb-web", types = LbWebClient.class, clientType = ClientType.WEB_CLIENT)
	static class Caller {

		@Bean
		List<String> choices() {
			return new CopyOnWriteArrayList<>();
		}

		@Bean
		LoadBalancerCustomizer countChoices(List<String> choices) {
			return (service, strategy, balancer) -> (LoadBalancer) (candidates, key) -> {
				choices.add(service);
				return balancer.choose(candidates, key);
			};
		}

	}

}
