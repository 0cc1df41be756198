package dev.discovery.spring.cloud;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import dev.discovery.core.DiscoveryBackend;
import dev.discovery.core.DiscoveryClient;
import dev.discovery.core.LoadBalancer;
import dev.discovery.core.Registration;
import dev.discovery.core.ServiceInstance;
import dev.discovery.core.testserver.NamedServer;
import dev.discovery.spring.LoadBalancerCustomizer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.cloud.client.discovery.ReactiveDiscoveryClient;
import org.springframework.cloud.client.discovery.event.HeartbeatEvent;
import org.springframework.cloud.client.loadbalancer.LoadBalanced;
import org.springframework.cloud.openfeign.EnableFeignClients;
import org.springframework.cloud.openfeign.FeignClient;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spring Cloud's own clients (a {@code @LoadBalanced WebClient.Builder} and an OpenFeign
 * client) calling real local HTTP servers by name through the bridge, with the strategy
 * and ejection rules of {@code discovery.load-balancer.*}. Each subclass runs it on one
 * backend, given by its {@code discovery.*} properties.
 */
@SpringBootTest(classes = SpringCloudClientsFlow.Caller.class, webEnvironment = WebEnvironment.NONE,
		properties = { "spring.application.name=caller", "discovery.registration.enabled=false",
				"discovery.load-balancer.services.keyed.strategy=consistent-hash",
				"discovery.load-balancer.services.keyed.hash-header=X-User",
				"discovery.load-balancer.services.greeting.base-ejection-time=30s" })
abstract class SpringCloudClientsFlow {

	@Autowired
	private DiscoveryBackend backend;

	@Autowired
	private DiscoveryClient client;

	@Autowired
	@LoadBalanced
	private WebClient.Builder webClient;

	@Autowired
	@LoadBalanced
	private RestClient.Builder restClient;

	@Autowired
	private GreetingFeignClient feign;

	@Autowired
	private KeyedFeignClient keyedFeign;

	@Autowired
	private org.springframework.cloud.client.discovery.DiscoveryClient springCloudClient;

	@Autowired
	private ReactiveDiscoveryClient reactiveClient;

	@Autowired
	private ChoiceCounter choices;

	@Autowired
	private Heartbeats heartbeats;

	private final List<NamedServer> servers = new ArrayList<>();

	private final List<Registration> registrations = new ArrayList<>();

	@BeforeEach
	void start() throws IOException {
		for (String name : List.of("a", "b")) {
			this.servers.add(new NamedServer(name));
		}
	}

	@AfterEach
	void stop() {
		this.registrations.forEach(Registration::close);
		this.servers.forEach(NamedServer::close);
	}

	@Test
	void loadBalancedWebClientSpreadsOverTheInstancesAndChoosesWithOurBalancer() {
		register("greeting", this.servers);
		int before = this.choices.of("greeting");

		Set<String> answered = new HashSet<>();
		for (int i = 0; i < 10; i++) {
			answered.add(webClientGet("greeting", null));
		}

		assertThat(answered).containsExactlyInAnyOrder("hello from a", "hello from b");
		assertThat(this.choices.of("greeting") - before).isEqualTo(10);
	}

	@Test
	void everyRequestOfEachSpringCloudClientIsBalancedExactlyOnce() {
		register("greeting", this.servers);
		RestClient rest = this.restClient.build();
		int before = this.choices.of("greeting");
		int requestsBefore = requests();

		for (int i = 0; i < 10; i++) {
			rest.get().uri("http://greeting/hello").retrieve().body(String.class);
			webClientGet("greeting", null);
			this.feign.hello();
		}

		assertThat(requests() - requestsBefore).isEqualTo(30);
		assertThat(this.choices.of("greeting") - before).isEqualTo(30);
	}

	@Test
	void theStrategyOfTheServiceIsTheOneUsedByWebClientAndFeign() {
		register("keyed", this.servers);

		Set<String> aliceByWebClient = new HashSet<>();
		Set<String> aliceByFeign = new HashSet<>();
		Set<String> anyone = new HashSet<>();
		for (int i = 0; i < 20; i++) {
			aliceByWebClient.add(webClientGet("keyed", "alice"));
			aliceByFeign.add(this.keyedFeign.hello("alice"));
			anyone.add(this.keyedFeign.hello("user-" + i));
		}

		assertThat(aliceByWebClient).as("consistent-hash keeps a key on one instance").hasSize(1);
		assertThat(aliceByFeign).isEqualTo(aliceByWebClient);
		assertThat(anyone).containsExactlyInAnyOrder("hello from a", "hello from b");
	}

	@Test
	void feignCallsByNameAndOutcomesReachOutlierEjection() {
		register("greeting", this.servers);
		NamedServer failing = this.servers.get(1);
		failing.failing(true);

		int served = 0;
		for (int i = 0; i < 40; i++) {
			try {
				this.feign.hello();
				served++;
			}
			catch (feign.FeignException.InternalServerError ex) {
				assertThat(ex.status()).isEqualTo(500);
			}
		}

		assertThat(failing.requests().size()).as("five failures eject the instance").isEqualTo(5);
		assertThat(served).isEqualTo(35);
	}

	@Test
	void aNewInstanceIsOfferedAsSoonAsTheRegistryHasIt() throws IOException {
		register("greeting", this.servers.subList(0, 1));
		assertThat(webClientGet("greeting", null)).isEqualTo("hello from a");

		NamedServer late = new NamedServer("late");
		this.servers.add(late);
		register("greeting", List.of(late));

		Awaitility.await()
			.atMost(Duration.ofSeconds(2))
			.pollInterval(Duration.ofMillis(1))
			.until(() -> webClientGet("greeting", null).equals("hello from late"));
	}

	@Test
	void springCloudDiscoveryClientsListOurUpInstancesWithZoneAndScheme() {
		this.registrations.add(this.backend.register(ServiceInstance.builder("zoned", "127.0.0.1", 8443)
			.id("zoned-1")
			.secure(true)
			.zone("eu-1")
			.metadata("version", "2")
			.build()));
		Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> this.client.getInstances("zoned").size() == 1);

		org.springframework.cloud.client.ServiceInstance blocking = this.springCloudClient.getInstances("ZONED").get(0);
		org.springframework.cloud.client.ServiceInstance reactive = this.reactiveClient.getInstances("zoned")
			.blockFirst(Duration.ofSeconds(5));

		assertThat(blocking).isEqualTo(reactive);
		assertThat(blocking.getInstanceId()).isEqualTo("zoned-1");
		assertThat(blocking.getUri()).hasToString("https://127.0.0.1:8443");
		assertThat(blocking.getScheme()).isEqualTo("https");
		assertThat(blocking.getMetadata()).containsExactlyInAnyOrderEntriesOf(
				Map.of("version", "2", CloudServiceInstance.ZONE, "eu-1", CloudServiceInstance.SECURE, "true"));
		assertThat(this.springCloudClient.getServices()).contains("zoned");
		assertThat(this.springCloudClient.getInstances("not a service name")).isEmpty();
	}

	@Test
	void everyChangeOfAWatchedServiceIsAHeartbeatWithANewValue() {
		register("greeting", this.servers.subList(0, 1));
		int before = this.heartbeats.values.size();

		register("greeting", this.servers.subList(1, 2));

		Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> this.heartbeats.values.size() > before);
		List<Object> values = this.heartbeats.values;
		assertThat(new HashSet<>(values)).as("each heartbeat has a new value").hasSameSizeAs(values);
	}

	private int requests() {
		return this.servers.stream().mapToInt((server) -> server.requests().size()).sum();
	}

	private String webClientGet(String service, String user) {
		return this.webClient.build()
			.get()
			.uri("http://" + service + "/hello")
			.headers((headers) -> {
				if (user != null) {
					headers.add("X-User", user);
				}
			})
			.retrieve()
			.bodyToMono(String.class)
			.block(Duration.ofSeconds(5));
	}

	private void register(String service, List<NamedServer> servers) {
		for (NamedServer server : servers) {
			this.registrations.add(this.backend.register(ServiceInstance.builder(service, "127.0.0.1", server.port())
				.id(service + "-" + server.name())
				.build()));
		}
		Set<String> ids = new HashSet<>();
		this.registrations.stream()
			.map((registration) -> registration.instance())
			.filter((instance) -> instance.service().equals(service))
			.forEach((instance) -> ids.add(instance.id()));
		Awaitility.await()
			.atMost(Duration.ofSeconds(5))
			.until(() -> this.client.getInstances(service)
				.stream()
				.map(ServiceInstance::id)
				.toList()
				.equals(ids.stream().sorted().toList()));
	}

	@FeignClient(name = "greeting")
	interface GreetingFeignClient {

		@GetMapping("/hello")
		String hello();

	}

	@FeignClient(name = "keyed")
	interface KeyedFeignClient {

		@GetMapping("/hello")
		String hello(@RequestHeader("X-User") String user);

	}

	/**
	 * Counts the choices of our balancers per service.
	 */
	static class ChoiceCounter implements LoadBalancerCustomizer {

		private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

		@Override
		public LoadBalancer customize(String service, String strategy, LoadBalancer balancer) {
			AtomicInteger count = this.counts.computeIfAbsent(service, (name) -> new AtomicInteger());
			return (candidates, key) -> {
				count.incrementAndGet();
				return balancer.choose(candidates, key);
			};
		}

		int of(String service) {
			AtomicInteger count = this.counts.get(service);
			return (count != null) ? count.get() : 0;
		}

	}

	/**
	 * Keeps the values of the heartbeats published.
	 */
	static class Heartbeats implements ApplicationListener<HeartbeatEvent> {

		final List<Object> values = new CopyOnWriteArrayList<>();

		@Override
		public void onApplicationEvent(HeartbeatEvent event) {
			this.values.add(event.getValue());
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@EnableFeignClients(clients = { GreetingFeignClient.class, KeyedFeignClient.class })
	static class Caller {

		@Bean
		@LoadBalanced
		WebClient.Builder loadBalancedWebClientBuilder() {
			return WebClient.builder();
		}

		@Bean
		@LoadBalanced
		RestClient.Builder loadBalancedRestClientBuilder() {
			return RestClient.builder();
		}

		@Bean
		ChoiceCounter choiceCounter() {
			return new ChoiceCounter();
		}

		@Bean
		Heartbeats heartbeats() {
			return new Heartbeats();
		}

	}

}
