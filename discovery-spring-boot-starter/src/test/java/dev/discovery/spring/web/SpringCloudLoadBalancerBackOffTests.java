package dev.discovery.spring.web;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

import dev.discovery.core.DiscoveryBackend;
import dev.discovery.core.DiscoveryClient;
import dev.discovery.core.testserver.NamedServer;
import dev.discovery.spring.web.HelloClients.LbWebClient;
import dev.discovery.spring.web.HelloClients.NoBaseUrlRestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.service.registry.HttpServiceGroup.ClientType;
import org.springframework.web.service.registry.HttpServiceGroupConfigurer;
import org.springframework.web.service.registry.ImportHttpServices;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With Spring Cloud LoadBalancer on the classpath, every request is balanced exactly once.
 * The service {@code greeting} has one instance in the starter's registry (the server
 * {@code ours}) and another in Spring Cloud's simple discovery (the server {@code cloud}),
 * so where a request arrives says who balanced it, and a request balanced by both would
 * fail, as the second balancer would look for a service named after an instance's host.
 * The starter's choices are counted as well.
 */
@Tag("spring-cloud-loadbalancer")
@SpringBootTest(classes = SpringCloudLoadBalancerBackOffTests.Caller.class, webEnvironment = WebEnvironment.NONE,
		properties = { "spring.application.name=caller", "discovery.backend=inmemory",
				"discovery.registration.enabled=false", "spring.cloud.compatibility-verifier.enabled=false",
				"spring.http.serviceclient.lb-web.base-url=lb://greeting" })
class SpringCloudLoadBalancerBackOffTests {

	private static final Duration TIMEOUT = WebClientCalls.TIMEOUT;

	private static final NamedServer ours = NamedServer.start("ours");

	private static final NamedServer cloud = NamedServer.start("cloud");

	@Autowired
	private ApplicationContext context;

	@Autowired
	private DiscoveryBackend backend;

	@Autowired
	private DiscoveryClient client;

	@Autowired
	private CountedChoices choices;

	@Autowired
	private NoBaseUrlRestClient noBaseUrlRest;

	@Autowired
	private LbWebClient lbWeb;

	@DynamicPropertySource
	static void cloudInstance(DynamicPropertyRegistry registry) {
		registry.add("spring.cloud.discovery.client.simple.instances.greeting[0].uri",
				() -> "http://127.0.0.1:" + cloud.port());
	}

	@AfterAll
	static void stop() {
		List.of(ours, cloud).forEach(NamedServer::close);
	}

	@BeforeEach
	void register() {
		NamedServer.register(this.backend, this.client, "greeting", ours);
	}

	@Test
	void beansOfTheStarterAndOfSpringCloudLiveSideBySide() {
		assertThat(this.context.containsBean("loadBalancerInterceptor")).isTrue();
		assertThat(this.context.containsBean("discoveryLoadBalancerInterceptor")).isTrue();
		assertThat(this.context.containsBean("loadBalancerWebClientBuilderBeanPostProcessor")).isTrue();
		assertThat(this.context.containsBean("discoveryLoadBalancedWebClientBuilderPostProcessor")).isTrue();
		assertThat(this.context.getBeanNamesForType(HttpServiceGroupConfigurer.class))
			.noneMatch((name) -> name.startsWith("discovery"));
	}

	@Test
	void httpServiceGroupsAreBalancedBySpringCloudOnly() {
		assertBalancedOnceBy(cloud, 0, () -> this.noBaseUrlRest.hello());
		assertBalancedOnceBy(cloud, 0, () -> this.lbWeb.hello().block(TIMEOUT));
	}

	@Test
	void buildersCarryingOnlyTheStartersAnnotationAreBalancedByTheStarter() {
		RestClient rest = this.context.getBean("oursRestClient", RestClient.Builder.class).build();
		WebClient web = this.context.getBean("oursWebClient", WebClient.Builder.class).build();

		assertBalancedOnceBy(ours, 1, () -> rest.get().uri("http://greeting/hello").retrieve().body(String.class));
		assertBalancedOnceBy(ours, 1,
				() -> web.get().uri("http://greeting/hello").retrieve().bodyToMono(String.class).block(TIMEOUT));
	}

	@Test
	void buildersCarryingBothAnnotationsAreBalancedBySpringCloudOnly() {
		RestClient rest = this.context.getBean("bothRestClient", RestClient.Builder.class).build();
		WebClient web = this.context.getBean("bothWebClient", WebClient.Builder.class).build();

		assertBalancedOnceBy(cloud, 0, () -> rest.get().uri("http://greeting/hello").retrieve().body(String.class));
		assertBalancedOnceBy(cloud, 0,
				() -> web.get().uri("http://greeting/hello").retrieve().bodyToMono(String.class).block(TIMEOUT));
	}

	private void assertBalancedOnceBy(NamedServer server, int choicesOfTheStarter, Supplier<String> call) {
		int choicesBefore = this.choices.count();
		int oursBefore = ours.requests().size();
		int cloudBefore = cloud.requests().size();

		assertThat(call.get()).isEqualTo("hello from " + server.name());

		assertThat(ours.requests().size() + cloud.requests().size()).isEqualTo(oursBefore + cloudBefore + 1);
		assertThat(this.choices.count()).isEqualTo(choicesBefore + choicesOfTheStarter);
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@ImportHttpServices(group = "greeting", types = NoBaseUrlRestClient.class, clientType = ClientType.REST_CLIENT)
	@ImportHttpServices(group = "lb-web", types = LbWebClient.class, clientType = ClientType.WEB_CLIENT)
	static class Caller {

		@Bean
		@dev.discovery.spring.LoadBalanced
		RestClient.Builder oursRestClient() {
			return RestClient.builder();
		}

		@Bean
		@dev.discovery.spring.LoadBalanced
		WebClient.Builder oursWebClient() {
			return WebClient.builder();
		}

		@Bean
		@dev.discovery.spring.LoadBalanced
		@org.springframework.cloud.client.loadbalancer.LoadBalanced
		RestClient.Builder bothRestClient() {
			return RestClient.builder();
		}

		@Bean
		@dev.discovery.spring.LoadBalanced
		@org.springframework.cloud.client.loadbalancer.LoadBalanced
		WebClient.Builder bothWebClient() {
			return WebClient.builder();
		}

		@Bean
		CountedChoices countedChoices() {
			return new CountedChoices();
		}

	}

}
