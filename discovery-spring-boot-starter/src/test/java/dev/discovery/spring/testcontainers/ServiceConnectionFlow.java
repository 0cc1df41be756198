package dev.discovery.spring.testcontainers;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.discovery.core.DiscoveryClient;
import dev.discovery.core.ServiceInstance;
import dev.discovery.core.testserver.RequiresDocker;
import dev.discovery.spring.web.CallerApplication;
import dev.discovery.spring.web.GreetingApplication;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Testcontainers;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A user's application tested as Spring Boot users test theirs: its registry is a container
 * annotated with {@code @ServiceConnection}, and nothing in its configuration says where the
 * registry is. It registers itself, finds an instance of another service that was pointed at
 * the same container through {@code discovery.*} properties, and calls it by name through
 * the load-balanced {@code RestClient}. The context is closed before the container stops.
 */
@RequiresDocker
@Testcontainers
@SpringBootTest(classes = CallerApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.application.name=" + ServiceConnectionFlow.CALLER, "discovery.instance.host=127.0.0.1",
				"discovery.registration.ttl=5s" })
@DirtiesContext
abstract class ServiceConnectionFlow {

	static final String CALLER = "caller-tc";

	private static final String GREETING = "greeting-tc";

	@Autowired
	private ApplicationContext context;

	@Autowired
	private DiscoveryClient discovery;

	@LocalServerPort
	private int port;

	/**
	 * Returns the value of {@code discovery.backend} for the other service.
	 * @return the backend name
	 */
	protected abstract String backend();

	/**
	 * Returns the type of the connection details that the container must supply.
	 * @return the connection details interface
	 */
	protected abstract Class<?> connectionDetailsType();

	/**
	 * Returns the {@code discovery.*} properties that point the other service at the container.
	 * @return {@code name=value} pairs
	 */
	protected abstract List<String> registryProperties();

	@Test
	void applicationRegistersFindsAnotherInstanceAndCallsItByName() {
		assertThat(this.context.getBean(connectionDetailsType()).getClass().getName())
			.as("the connection details come from the container")
			.startsWith(ServiceConnectionFlow.class.getPackageName() + ".");
		try (ConfigurableApplicationContext greeting = startGreeting()) {
			int greetingPort = ((WebServerApplicationContext) greeting).getWebServer().getPort();
			DiscoveryClient greetingView = greeting.getBean(DiscoveryClient.class);

			Awaitility.await()
				.atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(greetingView.getInstances(CALLER)).extracting(ServiceInstance::port)
					.containsExactly(this.port));
			Awaitility.await()
				.atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(this.discovery.getInstances(GREETING)).extracting(ServiceInstance::port)
					.containsExactly(greetingPort));

			String answer = RestClient.create("http://127.0.0.1:" + this.port)
				.get()
				.uri("/call/" + GREETING)
				.retrieve()
				.body(String.class);
			assertThat(answer).isEqualTo("hello from " + GREETING + " on " + greetingPort);
		}
		Awaitility.await()
			.atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(this.discovery.getAllInstances(GREETING)).isEmpty());
	}

	private ConfigurableApplicationContext startGreeting() {
		List<String> properties = new ArrayList<>(List.of("spring.application.name=" + GREETING, "server.port=0",
				"discovery.backend=" + backend(), "discovery.instance.host=127.0.0.1", "discovery.registration.ttl=5s"));
		properties.addAll(registryProperties());
		return new SpringApplicationBuilder(GreetingApplication.class).properties(properties.toArray(String[]::new))
			.run();
	}

}
