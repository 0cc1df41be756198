package dev.discovery.spring.cloud;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import dev.discovery.core.DiscoveryBackend;
import dev.discovery.core.DiscoveryClient;
import dev.discovery.core.Registration;
import dev.discovery.core.ServiceInstance;
import dev.discovery.core.testserver.NamedServer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.cloud.client.loadbalancer.LoadBalanced;
import org.springframework.context.annotation.Bean;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spring Cloud LoadBalancer's own retry on the next instance, through our balancer: the
 * retry goes to an instance the request has not tried, even when the strategy would pick
 * the failed one again.
 */
@SpringBootTest(classes = SpringCloudRetryTests.Caller.class, webEnvironment = WebEnvironment.NONE,
		properties = { "spring.application.name=caller", "discovery.backend=inmemory",
				"discovery.registration.enabled=false", "discovery.load-balancer.services.keyed.strategy=consistent-hash",
				"discovery.load-balancer.services.keyed.hash-header=X-User",
				"spring.cloud.loadbalancer.retry.enabled=true",
				"spring.cloud.loadbalancer.retry.max-retries-on-same-service-instance=0",
				"spring.cloud.loadbalancer.retry.max-retries-on-next-service-instance=1",
				"spring.cloud.loadbalancer.retry.retryable-status-codes=500" })
class SpringCloudRetryTests {

	@Autowired
	private DiscoveryBackend backend;

	@Autowired
	private DiscoveryClient client;

	@Autowired
	@LoadBalanced
	private WebClient.Builder webClient;

	private NamedServer a;

	private NamedServer b;

	private List<Registration> registrations;

	@BeforeEach
	void start() throws IOException {
		this.a = new NamedServer("a");
		this.b = new NamedServer("b");
		this.registrations = List.of(register(this.a), register(this.b));
		Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> this.client.getInstances("keyed").size() == 2);
	}

	@AfterEach
	void stop() {
		this.registrations.forEach(Registration::close);
		this.a.close();
		this.b.close();
	}

	@Test
	void aRetryOfAKeyedRequestGoesToTheInstanceNotTriedYet() {
		String keyOfB = keyChoosing("keyed-b");
		this.b.failing(true);

		String body = this.webClient.build()
			.get()
			.uri("http://keyed/hello")
			.header("X-User", keyOfB)
			.retrieve()
			.bodyToMono(String.class)
			.block(Duration.ofSeconds(5));

		assertThat(body).isEqualTo("hello from a");
		assertThat(this.b.requests().size()).isEqualTo(1);
		assertThat(this.a.requests().size()).isEqualTo(1);
	}

	private String keyChoosing(String instanceId) {
		for (int i = 0;; i++) {
			String key = "user-" + i;
			if (this.client.choose("keyed", key).orElseThrow().id().equals(instanceId)) {
				return key;
			}
		}
	}

	private Registration register(NamedServer server) {
		return this.backend.register(
				ServiceInstance.builder("keyed", "127.0.0.1", server.port()).id("keyed-" + server.name()).build());
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class Caller {

		@Bean
		@LoadBalanced
		WebClient.Builder loadBalancedWebClientBuilder() {
			return WebClient.builder();
		}

	}

}
