package dev.discovery.spring.grpc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import dev.discovery.core.DiscoveryBackend;
import dev.discovery.core.InstanceStatus;
import dev.discovery.core.ServiceInstance;
import dev.discovery.grpc.GreetingServer;
import dev.discovery.grpc.GrpcPort;
import dev.discovery.spring.DiscoveryEndpoint;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.grpc.client.ChannelBuilderOptions;
import org.springframework.grpc.client.ClientInterceptorsConfigurer;
import org.springframework.grpc.client.GrpcChannelBuilderCustomizer;
import org.springframework.grpc.client.GrpcChannelFactory;
import org.springframework.grpc.client.NettyGrpcChannelFactory;
import org.springframework.grpc.server.GrpcServerFactory;
import org.springframework.grpc.server.NettyGrpcServerFactory;
import org.springframework.grpc.server.lifecycle.GrpcServerLifecycle;
import org.springframework.grpc.server.lifecycle.GrpcServerShutdownEvent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * gRPC-only Spring applications with the starter and a real Spring gRPC server, on the
 * in-memory registry: they register the gRPC server's port, a client application's Spring
 * gRPC channel to {@code discovery:///greeting} reaches them with the {@code discovery}
 * policy although the channel defaults to {@code round_robin}, and a server deregisters
 * before its gRPC server begins its graceful shutdown. Spring Boot's own gRPC
 * auto-configuration is not on the classpath, so the beans it would make are declared here
 * with Spring gRPC's classes.
 */
class GrpcDiscoveryApplicationTests {

	private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

	@AfterEach
	void close() {
		for (int i = this.contexts.size() - 1; i >= 0; i--) {
			this.contexts.get(i).close();
		}
	}

	@Test
	void grpcOnlyApplicationRegistersItsGrpcPortAndShowsIt() {
		ConfigurableApplicationContext server = start(GreetingServerApplication.class, "greeting-a");
		int grpcPort = server.getBean(GrpcServerLifecycle.class).getPort();
		List<ServiceInstance> instances = server.getBean(DiscoveryBackend.class).instances("greeting");
		assertThat(instances).hasSize(1);
		ServiceInstance registered = instances.get(0);
		assertThat(registered.port()).isEqualTo(grpcPort);
		assertThat(registered.metadata()).containsEntry(GrpcPort.METADATA_KEY, String.valueOf(grpcPort));
		assertThat(registered.status()).isEqualTo(InstanceStatus.UP);
		DiscoveryEndpoint.SelfDescription self = server.getBean(DiscoveryEndpoint.class).discovery().self();
		assertThat(self.instance().metadata()).containsEntry(GrpcPort.METADATA_KEY, String.valueOf(grpcPort));
	}

	@Test
	void springGrpcChannelToDiscoveryTargetSpreadsOverTheRegisteredServers() {
		start(GreetingServerApplication.class, "greeting-a");
		start(GreetingServerApplication.class, "greeting-b");
		ConfigurableApplicationContext client = start(GreetingClientApplication.class, "caller");
		ManagedChannel channel = client.getBean(GrpcChannelFactory.class)
			.createChannel("discovery:///greeting", ChannelBuilderOptions.defaults());
		Set<String> answered = new HashSet<>();
		for (int i = 0; i < 10; i++) {
			answered.add(greet(channel));
		}
		assertThat(answered).containsExactlyInAnyOrder("greeting-a", "greeting-b");
	}

	@Test
	void serverDeregistersBeforeItsGrpcServerDrains() {
		ConfigurableApplicationContext leaving = start(GreetingServerApplication.class, "greeting-a");
		start(GreetingServerApplication.class, "greeting-b");
		ConfigurableApplicationContext client = start(GreetingClientApplication.class, "caller");
		ManagedChannel channel = client.getBean(GrpcChannelFactory.class)
			.createChannel("discovery:///greeting", ChannelBuilderOptions.defaults());
		await().atMost(Duration.ofSeconds(5)).until(() -> greet(channel).equals("greeting-a"));
		ShutdownWitness witness = leaving.getBean(ShutdownWitness.class);
		leaving.close();
		assertThat(witness.registeredAtShutdown.get()).as("instances of 'greeting' when the gRPC server began to drain")
			.extracting(ServiceInstance::id)
			.doesNotContain(witness.ownId);
		for (int i = 0; i < 10; i++) {
			assertThat(greet(channel)).isEqualTo("greeting-b");
		}
	}

	private ConfigurableApplicationContext start(Class<?> application, String name) {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(application)
			.web(WebApplicationType.NONE)
			.properties(Map.of("management.endpoints.web.exposure.include", "discovery",
					"management.endpoints.jmx.exposure.include", "discovery", "spring.jmx.enabled", "true",
					"spring.application.name", name, "discovery.instance.host", "127.0.0.1",
					"discovery.instance.service", "greeting", "discovery.instance.id", name, "discovery.backend", "inmemory"))
			.run();
		this.contexts.add(context);
		return context;
	}

	private static String greet(ManagedChannel channel) {
		return ClientCalls.blockingUnaryCall(channel, GreetingServer.GREET,
				CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS), "hello");
	}

	/**
	 * A gRPC-only application: a Spring gRPC Netty server on a free loopback port whose
	 * greeting answers with the application's name, registered as service {@code greeting}.
	 */
	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class GreetingServerApplication {

		@Bean
		NettyGrpcServerFactory grpcServerFactory(Environment environment) {
			NettyGrpcServerFactory factory = new NettyGrpcServerFactory("127.0.0.1:0", List.of(), null, null, null);
			String name = environment.getRequiredProperty("spring.application.name");
			factory.addService(GreetingServer.definition((request, response) -> {
				response.onNext(name);
				response.onCompleted();
			}));
			return factory;
		}

		@Bean
		GrpcServerLifecycle grpcServerLifecycle(GrpcServerFactory factory, ApplicationEventPublisher publisher) {
			return new GrpcServerLifecycle(factory, Duration.ofSeconds(1), publisher);
		}

		@Bean
		ShutdownWitness shutdownWitness(DiscoveryBackend backend, Environment environment) {
			return new ShutdownWitness(backend, environment.getRequiredProperty("spring.application.name"));
		}

	}

	/**
	 * Looks at the registry when the gRPC server begins to shut down, after the starter's
	 * own listener of that event.
	 */
	static final class ShutdownWitness {

		private final DiscoveryBackend backend;

		final String ownId;

		final AtomicReference<List<ServiceInstance>> registeredAtShutdown = new AtomicReference<>();

		ShutdownWitness(DiscoveryBackend backend, String ownId) {
			this.backend = backend;
			this.ownId = ownId;
		}

		@EventListener
		void shuttingDown(GrpcServerShutdownEvent event) {
			this.registeredAtShutdown.set(this.backend.instances("greeting"));
		}

	}

	/**
	 * A client application with Spring gRPC's Netty channel factory, given every
	 * {@link GrpcChannelBuilderCustomizer} bean as Spring Boot's gRPC client
	 * auto-configuration does, and {@code round_robin} as default policy, as Spring gRPC sets.
	 */
	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class GreetingClientApplication {

		@Bean
		@SuppressWarnings({ "unchecked", "rawtypes" })
		NettyGrpcChannelFactory grpcChannelFactory(ObjectProvider<GrpcChannelBuilderCustomizer<?>> customizers,
				ApplicationContext context) {
			GrpcChannelBuilderCustomizer<NettyChannelBuilder> all = (target, builder) -> {
				builder.defaultLoadBalancingPolicy("round_robin");
				customizers.orderedStream().forEach((customizer) -> ((GrpcChannelBuilderCustomizer) customizer)
					.customize(target, (ManagedChannelBuilder) builder));
			};
			return new NettyGrpcChannelFactory(List.of(all), new ClientInterceptorsConfigurer(context));
		}

	}

}
