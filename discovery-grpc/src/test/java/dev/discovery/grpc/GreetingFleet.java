package dev.discovery.grpc;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
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
 * Greeting servers registered as service {@value #SERVICE}, each through a backend of its
 * own as separate processes would, and channels to {@code discovery:///greeting} through a
 * {@link DiscoveryClient} on one more backend. Closing it closes the channels,
 * registrations, servers, backends and client.
 */
final class GreetingFleet implements AutoCloseable {

	static final String SERVICE = "greeting";

	private final Supplier<DiscoveryBackend> backends;

	private final DiscoveryClient client;

	private final List<AutoCloseable> resources = new ArrayList<>();

	GreetingFleet(Supplier<DiscoveryBackend> backends, Function<String, BalancingPolicy> policies) {
		this.backends = backends;
		DiscoveryBackend clientBackend = backends.get();
		this.resources.add(clientBackend);
		this.client = new DiscoveryClient(clientBackend, policies, System::nanoTime);
		this.resources.add(this.client);
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

	/** Registers a running server through a new backend; the fleet then closes both. */
	Member register(GreetingServer server, Consumer<ServiceInstance.Builder> instance) {
		return register(server, backend(), instance);
	}

	/** Creates a backend on the registry, as a server process would, which the fleet then closes. */
	DiscoveryBackend backend() {
		DiscoveryBackend backend = this.backends.get();
		this.resources.add(backend);
		return backend;
	}

	/** Registers a running server through a given backend; the fleet then closes the server. */
	Member register(GreetingServer server, DiscoveryBackend backend, Consumer<ServiceInstance.Builder> instance) {
		this.resources.add(server);
		ServiceInstance.Builder builder = ServiceInstance.builder(SERVICE, "127.0.0.1", server.port()).id(server.name());
		instance.accept(builder);
		Registration registration = backend.register(builder.build());
		this.resources.add(registration);
		return new Member(server, backend, registration);
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
	}

	/** A started server, the backend it registered through, and its registration. */
	record Member(GreetingServer server, DiscoveryBackend backend, Registration registration) {

	}

}
