package dev.discovery.spring.registry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.discovery.core.DiscoveryClient;
import dev.discovery.core.ServiceInstance;
import dev.discovery.spring.web.CallerApplication;
import dev.discovery.spring.web.GreetingApplication;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two applications on a real registry, as users run them: a greeting service and a caller,
 * each with the starter. They find each other, the caller reaches the service through the
 * {@code @LoadBalanced} {@code RestClient}, and no secret (registry credential or secret
 * metadata) appears in any log line or actuator response.
 */
@ExtendWith(OutputCaptureExtension.class)
abstract class TwoApplicationsFlow {

	private static final String SECRET_METADATA = "metadata-secret-7f3a";

	/**
	 * Returns the value of {@code discovery.backend}.
	 * @return the backend name
	 */
	protected abstract String backend();

	/**
	 * Returns the properties that connect to the registry, with credentials.
	 * @return {@code name=value} pairs
	 */
	protected abstract List<String> connectionProperties();

	/**
	 * Returns the registry credential that must never be shown.
	 * @return the secret
	 */
	protected abstract String credential();

	@Test
	void applicationsFindEachOtherAndCallThroughTheLoadBalancedRestClient(CapturedOutput output) {
		String greeting = "greeting-" + backend();
		String caller = "caller-" + backend();
		try (ConfigurableApplicationContext service = start(GreetingApplication.class, greeting);
				ConfigurableApplicationContext client = start(CallerApplication.class, caller)) {
			int servicePort = port(service);
			DiscoveryClient callerView = client.getBean(DiscoveryClient.class);
			DiscoveryClient serviceView = service.getBean(DiscoveryClient.class);

			Awaitility.await()
				.atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(callerView.getInstances(greeting)).extracting(ServiceInstance::port)
					.containsExactly(servicePort));
			Awaitility.await()
				.atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(serviceView.getInstances(caller)).extracting(ServiceInstance::port)
					.containsExactly(port(client)));

			String answer = http(client).get().uri("/call/" + greeting).retrieve().body(String.class);
			assertThat(answer).isEqualTo("hello from " + greeting + " on " + servicePort);

			List<String> actuator = new ArrayList<>();
			for (ConfigurableApplicationContext context : List.of(service, client)) {
				for (String endpoint : List.of("health", "discovery", "discovery/" + greeting, "env", "configprops")) {
					actuator.add(http(context).get().uri("/actuator/" + endpoint).retrieve().body(String.class));
				}
			}
			assertThat(actuator).allSatisfy((body) -> assertThat(body).doesNotContain(credential(), SECRET_METADATA));
			assertThat(actuator.get(1)).contains("\"db-password\":\"******\"");

			service.close();

			Awaitility.await()
				.atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(callerView.getAllInstances(greeting)).isEmpty());
		}
		assertThat(output.getAll()).contains("Registered " + greeting)
			.doesNotContain(credential())
			.doesNotContain(SECRET_METADATA);
	}

	private ConfigurableApplicationContext start(Class<?> application, String name) {
		List<String> properties = new ArrayList<>(List.of("spring.application.name=" + name, "server.port=0",
				"discovery.backend=" + backend(), "discovery.registration.ttl=5s", "discovery.instance.host=127.0.0.1",
				"discovery.instance.metadata.db-password=" + SECRET_METADATA, "logging.level.dev.discovery=DEBUG",
				"management.endpoints.web.exposure.include=health,discovery,env,configprops",
				"management.endpoint.health.show-details=always"));
		properties.addAll(connectionProperties());
		return new SpringApplicationBuilder(application).properties(properties.toArray(String[]::new)).run();
	}

	private static int port(ConfigurableApplicationContext context) {
		return ((WebServerApplicationContext) context).getWebServer().getPort();
	}

	private static RestClient http(ConfigurableApplicationContext context) {
		return RestClient.create("http://127.0.0.1:" + port(context));
	}

}
