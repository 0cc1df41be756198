package dev.discovery.grpc;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;

import dev.discovery.core.BalancingPolicy;
import dev.discovery.core.DiscoveryBackend;
import dev.discovery.core.DiscoveryClient;
import dev.discovery.core.Registration;
import dev.discovery.core.ServiceInstance;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;

/**
 * Greeting servers registered as service {@value #SERVICE} through a real backend, and
 * channels to {@code discovery:///greeting} through a {@link DiscoveryClient} of that
 * backend. Closing it closes the channels, registrations, servers, client and backend.
 */
final class GreetingFleet implements AutoCloseable {

	static final String SERVICE = "greeting";

	private final DiscoveryBackend backend;

	private final DiscoveryClient client;

	private final List<AutoCloseable> resources = new ArrayList<>();

	GreetingFleet(DiscoveryBackend backend, Function<String, BalancingPolicy> policies) {
		this.backend = backend;
		this.client = new DiscoveryClient(backend, policies, System::nanoTime);
	}

	DiscoveryClient client() {
		return this.client;
	}

	/** Starts a server and registers it as UP with its port as the gRPC port. */
	Member start(String name) {
		return start(name, (instance) -> {
		});
	}

	/** Starts a server and registers it, letting the caller change the instance. */
	Member start(String name, Consumer<ServiceInstance.Builder> instance) {
		return register(GreetingServer.start(name), instance);
	}

	/** Registers a running server, which the fleet then closes. */
	Member register(GreetingServer server, Consumer<ServiceInstance.Builder> instance) {
		this.resources.add(server);
		ServiceInstance.Builder builder = ServiceInstance.builder(SERVICE, "127.0.0.1", server.port()).id(server.name());
		instance.accept(builder);
		Registration registration = this.backend.register(builder.build());
		this.resources.add(registration);
		return new Member(server, registration);
	}

	/** A channel to {@code discovery:///greeting} with default options. */
	ManagedChannel channel() {
		return channel(DiscoveryResolverOptions.of(this.client), (builder) -> builder);
	}

	/** A channel to {@code discovery:///greeting}. */
	ManagedChannel channel(DiscoveryResolverOptions options, UnaryOperator<NettyChannelBuilder> customizer) {
		NettyChannelBuilder builder = NettyChannelBuilder.forTarget("discovery:///" + SERVICE)
			.usePlaintext()
			.setNameResolverArg(DiscoveryNameResolverProvider.OPTIONS, options);
		ManagedChannel channel = customizer.apply(builder).build();
		this.resources.add(() -> channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS));
		return channel;
	}

	/** Calls the greeting method, waiting at most 5 s; answers the name of the server. */
	static String greet(Channel channel) {
		return ClientCalls.blockingUnaryCall(channel, GreetingServer.GREET,
				CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS), "hello");
	}

	/** Calls the greeting method with request headers. */
	static String greet(Channel channel, Map<String, String> headers) {
		Metadata metadata = new Metadata();
		headers.forEach((name, value) -> metadata.put(Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER), value));
		return greet(ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(metadata)));
	}

	@Override
	public void close() throws Exception {
		for (int i = this.resources.size() - 1; i >= 0; i--) {
			this.resources.get(i).close();
		}
		this.client.close();
		this.backend.close();
	}

	/** A started server and its registration. */
	record Member(GreetingServer server, Registration registration) {

	}

}
