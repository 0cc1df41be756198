package dev.discovery.samples.grpc;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.google.protobuf.StringValue;
import dev.discovery.core.DiscoveryClient;
import dev.discovery.grpc.DiscoveryNameResolverProvider;
import dev.discovery.grpc.DiscoveryResolverOptions;
import dev.discovery.samples.grpc.client.GreetingCalls;
import dev.discovery.samples.grpc.client.GrpcGreetingClientApplication;
import dev.discovery.samples.grpc.server.GrpcGreetingServerApplication;
import io.grpc.CallOptions;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.stub.ClientCalls;
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

	@Test
	void aGrpcJavaChannelWithoutSpringGrpcCallsTheServiceByName() {
		try (ConfigurableApplicationContext server = GrpcGreetingServerApplication.application()
			.run("--discovery.instance.id=greeting-1")) {
			DiscoveryClient discoveryClient = server.getBean(DiscoveryClient.class);
			ManagedChannel channel = Grpc.newChannelBuilder("discovery:///grpc-greeting", InsecureChannelCredentials.create())
				.setNameResolverArg(DiscoveryNameResolverProvider.OPTIONS, DiscoveryResolverOptions.of(discoveryClient))
				.build();
			assertThat(greet(channel)).isEqualTo("Hello plain from greeting-1");
		}
	}

	@Test
	void gRpcsRetryPolicyGoesInTheResolverOptions() {
		try (ConfigurableApplicationContext server = GrpcGreetingServerApplication.application()
			.run("--discovery.instance.id=greeting-1")) {
			DiscoveryClient client = server.getBean(DiscoveryClient.class);
			DiscoveryResolverOptions options = DiscoveryResolverOptions.of(client).withServiceConfig(Map.of("methodConfig", List.of(Map.of(
					"name", List.of(Map.of("service", "greeting.Greeter")),
					"retryPolicy", Map.of("maxAttempts", 3.0, "initialBackoff", "0.01s", "maxBackoff", "0.1s",
							"backoffMultiplier", 2.0, "retryableStatusCodes", List.of("UNAVAILABLE", "UNKNOWN"))))));
			ManagedChannel channel = Grpc.newChannelBuilder("discovery:///grpc-greeting", InsecureChannelCredentials.create())
				.setNameResolverArg(DiscoveryNameResolverProvider.OPTIONS, options)
				.build();
			assertThat(greet(channel)).isEqualTo("Hello plain from greeting-1");
		}
	}

	private static String greet(ManagedChannel channel) {
		try {
			return ClientCalls
				.blockingUnaryCall(channel, Greeter.GREET, CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS),
						StringValue.of("plain"))
				.getValue();
		}
		finally {
			channel.shutdownNow();
		}
	}

}
