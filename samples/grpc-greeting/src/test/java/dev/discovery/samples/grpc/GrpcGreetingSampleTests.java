package dev.discovery.samples.grpc;

import dev.discovery.samples.grpc.client.GreetingCalls;
import dev.discovery.samples.grpc.client.GrpcGreetingClientApplication;
import dev.discovery.samples.grpc.server.GrpcGreetingServerApplication;
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

	@Test
	void clientSpreadsOverBothServersAndLeavesOneThatShutsDown() {
		try (ConfigurableApplicationContext first = GrpcGreetingServerApplication.application()
			.run("--discovery.instance.id=greeting-1");
				ConfigurableApplicationContext second = GrpcGreetingServerApplication.application()
					.run("--discovery.instance.id=greeting-2");
				ConfigurableApplicationContext client = GrpcGreetingClientApplication.application().run("--calls=2")) {
			GreetingCalls calls = client.getBean(GreetingCalls.class);
			assertThat(calls.spread(20)).containsOnlyKeys("Hello sample from greeting-1", "Hello sample from greeting-2");

			first.close();
			assertThat(calls.spread(10)).containsOnlyKeys("Hello sample from greeting-2");
			assertThat(second.isActive()).isTrue();
		}
	}

}
