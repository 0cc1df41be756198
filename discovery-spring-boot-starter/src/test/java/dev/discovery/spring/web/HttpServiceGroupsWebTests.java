package dev.discovery.spring.web;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

import dev.discovery.core.DiscoveryBackend;
import dev.discovery.core.DiscoveryClient;
import dev.discovery.core.testserver.NamedServer;
import dev.discovery.spring.web.HelloClients.LbRestClient;
import dev.discovery.spring.web.HelloClients.LbWebClient;
import dev.discovery.spring.web.HelloClients.NoBaseUrlRestClient;
import dev.discovery.spring.web.HelloClients.NoBaseUrlWebClient;
import dev.discovery.spring.web.HelloClients.PlainRestClient;
import dev.discovery.spring.web.HelloClients.SingleLabelRestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
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

	private static final Duration TIMEOUT = WebClientCalls.TIMEOUT;

	private static final NamedServer failing = NamedServer.start("a");

	private static final NamedServer live = NamedServer.start("b");

	private static final NamedServer direct = NamedServer.start("direct");

	@Autowired
	private DiscoveryBackend backend;

	@Autowired
	private DiscoveryClient client;

	@Autowired
	private CountedChoices choices;

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
		int choicesBefore = this.choices.count();
		int requestsBefore = direct.requests().size();

		assertThat(this.plainRest.hello()).isEqualTo("hello from direct");

		assertThat(direct.requests()).hasSize(requestsBefore + 1);
		assertThat(this.choices.count()).isEqualTo(choicesBefore);
	}

	private void assertCallsReachTheLiveInstanceOnly(Supplier<String> call, String request) {
		int failedBefore = failing.requests().size();
		int answeredBefore = live.requests().size();
		for (int i = 0; i < 4; i++) {
			assertThat(call.get()).isEqualTo("hello from b");
		}
		assertThat(failing.requests().subList(failedBefore, failing.requests().size())).isNotEmpty()
			.containsOnly(request);
		assertThat(live.requests().subList(answeredBefore, live.requests().size())).hasSize(4).containsOnly(request);
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
		CountedChoices countedChoices() {
			return new CountedChoices();
		}

	}

}
