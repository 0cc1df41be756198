package dev.discovery.samples.greeting;

import java.time.Duration;

import dev.discovery.core.DiscoveryClient;
import dev.discovery.core.ServiceInstance;
import dev.discovery.core.testserver.RequiresDocker;
import dev.discovery.samples.greeting.GreetingServiceApplication.Greeting;
import dev.discovery.spring.LoadBalanced;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Testcontainers;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How a user tests their application against a real registry: the subclasses declare the
 * registry as a container with {@code @Container @ServiceConnection} and activate the
 * profile that selects it; the profile's {@code discovery.etcd.endpoints} or
 * {@code discovery.consul.host/port} are replaced by the container's. The application
 * registers itself, and a call by its service name through the load-balanced
 * {@code RestClient} reaches it. {@code @RequiresDocker} is this repository's rule for
 * its CI (fail under {@code CI=true}, skip otherwise when there is no Docker); a user's
 * own test needs only {@code @Testcontainers}.
 */
@RequiresDocker
@Testcontainers
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@DirtiesContext
abstract class RegistryContainerTest {

	@Autowired
	private DiscoveryClient discovery;

	@Autowired
	@LoadBalanced
	private RestClient.Builder loadBalanced;

	@LocalServerPort
	private int port;

	@Test
	void registersAndIsCalledByName() {
		Awaitility.await()
			.atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(this.discovery.getInstances("greeting-service"))
				.extracting(ServiceInstance::port)
				.containsExactly(this.port));

		Greeting greeting = this.loadBalanced.build()
			.get()
			.uri("http://greeting-service/greeting")
			.retrieve()
			.body(Greeting.class);

		assertThat(greeting.port()).isEqualTo(this.port);
		assertThat(greeting.instance()).isEqualTo("greeting-service-127.0.0.1-" + this.port);
	}

}
