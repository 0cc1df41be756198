package dev.discovery.samples.grpc;

import java.util.ArrayList;
import java.util.List;

import dev.discovery.samples.grpc.client.GreetingCalls;
import dev.discovery.samples.grpc.client.GrpcGreetingClientApplication;
import dev.discovery.samples.grpc.server.GrpcGreetingServerApplication;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample as a user runs it, with Spring Boot's gRPC auto-configuration, on the in-memory
 * registry: two gRPC-only servers register their gRPC ports, the client's channel
 * {@code discovery:///grpc-greeting} spreads its calls over both, and a server that shuts
 * down stops getting calls.
 */
class GrpcGreetingSampleTests {

	private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

	@AfterEach
	void close() {
		for (int i = this.contexts.size() - 1; i >= 0; i--) {
			this.contexts.get(i).close();
		}
	}

	@Test
	void clientSpreadsOverBothServersAndLeavesOneThatShutsDown() {
		ConfigurableApplicationContext first = start(GrpcGreetingServerApplication.application(),
				"--discovery.instance.id=greeting-1");
		start(GrpcGreetingServerApplication.application(), "--discovery.instance.id=greeting-2");
		GreetingCalls calls = start(GrpcGreetingClientApplication.application(), "--calls=2").getBean(GreetingCalls.class);

		assertThat(calls.spread(20)).containsOnlyKeys("Hello sample from greeting-1", "Hello sample from greeting-2");

		first.close();
		assertThat(calls.spread(10)).containsOnlyKeys("Hello sample from greeting-2");
	}

	private ConfigurableApplicationContext start(org.springframework.boot.SpringApplication application,
			String... args) {
		ConfigurableApplicationContext context = application.run(args);
		this.contexts.add(context);
		return context;
	}

}
