package dev.discovery.spring.web;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.discovery.core.DiscoveryClient;
import dev.discovery.core.InstanceStatus;
import dev.discovery.core.Registration;
import dev.discovery.core.RegistrationState;
import dev.discovery.core.ServiceInstance;
import dev.discovery.spring.SelfRegistration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(classes = GreetingApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.application.name=web-greeting", "discovery.backend=inmemory", "discovery.instance.host=127.0.0.1",
				"discovery.instance.metadata.api-key=do-not-show", "discovery.instance.metadata.version=7",
				"management.endpoints.web.exposure.include=health,discovery",
				"management.endpoint.health.show-details=always", "management.endpoint.discovery.access=unrestricted" })
class SelfRegistrationWebTests {

	@LocalServerPort
	private int port;

	@Autowired
	private SelfRegistration selfRegistration;

	@Autowired
	private DiscoveryClient client;

	private RestClient http() {
		return RestClient.create("http://127.0.0.1:" + this.port);
	}

	@Test
	void registersWithTheActualPortAndIsUpWhenReady() {
		Registration registration = this.selfRegistration.registration().orElseThrow();

		assertThat(registration.instance().port()).isEqualTo(this.port);
		assertThat(registration.state()).isEqualTo(RegistrationState.REGISTERED);
		Awaitility.await()
			.atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(this.client.getInstances("web-greeting")).extracting(ServiceInstance::port)
				.containsExactly(this.port));
	}

	@Test
	void healthShowsDiscoveryUp() {
		Map<String, Object> health = http().get()
			.uri("/actuator/health")
			.retrieve()
			.body(new ParameterizedTypeReference<Map<String, Object>>() {
			});

		assertThat(health).extractingByKey("components")
			.extracting("discovery")
			.extracting("status")
			.isEqualTo("UP");
		assertThat(health).extractingByKey("components")
			.extracting("discovery")
			.extracting("details")
			.extracting("backend", "stale")
			.containsExactly("inmemory", false);
	}

	@Test
	void discoveryEndpointListsThisApplicationWithSecretsMasked() {
		String body = http().get().uri("/actuator/discovery").retrieve().body(String.class);

		assertThat(body).contains("\"web-greeting\"")
			.contains("\"id\":\"web-greeting-127.0.0.1-" + this.port + "\"")
			.contains("\"version\":\"7\"")
			.contains("\"api-key\":\"******\"")
			.doesNotContain("do-not-show");
		List<Map<String, Object>> one = http().get()
			.uri("/actuator/discovery/web-greeting")
			.retrieve()
			.body(new ParameterizedTypeReference<List<Map<String, Object>>>() {
			});
		assertThat(one).extracting((instance) -> instance.get("uri")).containsExactly("http://127.0.0.1:" + this.port);
	}

	@Test
	void writeOperationTakesTheInstanceOutOfRotationAndBack() {
		Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> this.client.choose("web-greeting").isPresent());

		http().post()
			.uri("/actuator/discovery")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"status\":\"OUT_OF_SERVICE\"}")
			.retrieve()
			.toBodilessEntity();

		Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> this.client.choose("web-greeting").isEmpty());
		assertThat(this.client.getAllInstances("web-greeting")).extracting(ServiceInstance::status)
			.containsExactly(InstanceStatus.OUT_OF_SERVICE);

		http().post()
			.uri("/actuator/discovery")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"status\":\"UP\"}")
			.retrieve()
			.toBodilessEntity();

		Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> this.client.choose("web-greeting").isPresent());
	}

}
