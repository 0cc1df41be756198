package dev.discovery.grpc;

import java.util.Map;

import dev.discovery.core.BalancingPolicy;
import dev.discovery.core.LoadBalancers;
import dev.discovery.core.ServiceInstance;
import dev.discovery.inmemory.InMemoryBackend;
import dev.discovery.inmemory.InMemoryRegistry;
import io.grpc.ManagedChannel;
import io.grpc.NameResolver.ConfigOrError;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Bad targets, missing options and bad {@code grpc-port} metadata get errors that name the
 * field, the value and the rule; a good {@code grpc-port} is where calls go.
 */
class ResolverInputTests {

	private final InMemoryRegistry registry = new InMemoryRegistry();

	private final GreetingFleet fleet = new GreetingFleet(() -> new InMemoryBackend(this.registry, InMemoryBackend.DEFAULT_TTL),
			(service) -> BalancingPolicy.builder(LoadBalancers.byName("round-robin")).build());

	@AfterEach
	void close() throws Exception {
		this.fleet.close();
		this.registry.close();
	}

	@Test
	void targetWithoutServiceIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> build("discovery:///"))
			.withMessage("Invalid target 'discovery:///': must be discovery:///<service>, with no authority");
	}

	@Test
	void targetWithAuthorityIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> build("discovery://registry/orders"))
			.withMessageContaining("Invalid target 'discovery://registry/orders'");
	}

	@Test
	void invalidServiceNameIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> build("discovery:///-orders"))
			.withMessageContaining("service name")
			.withMessageContaining("'-orders'");
	}

	@Test
	void channelWithoutOptionsIsRejected() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> NettyChannelBuilder.forTarget("discovery:///orders").usePlaintext().build())
			.withMessageContaining("setNameResolverArg(DiscoveryNameResolverProvider.OPTIONS");
	}

	@Test
	void grpcPortMetadataIsWhereCallsGo() {
		GreetingServer server = GreetingServer.start("metadata-port");
		this.fleet.register(server, (instance) -> instance.metadata(GrpcPort.METADATA_KEY, String.valueOf(server.port())));
		ManagedChannel channel = this.fleet.channel();
		assertThat(GreetingFleet.greet(channel)).isEqualTo("metadata-port");
	}

	@Test
	void badGrpcPortMetadataNamesKeyValueAndRule() {
		ServiceInstance instance = ServiceInstance.builder("orders", "127.0.0.1", 8080)
			.metadata(GrpcPort.METADATA_KEY, "http")
			.build();
		assertThatIllegalArgumentException().isThrownBy(() -> GrpcPort.of(instance))
			.withMessage("Invalid metadata 'grpc-port' of instance orders-127.0.0.1-8080 'http': "
					+ "must be a port number between 1 and 65535");
	}

	@Test
	void instanceWithBadGrpcPortGetsNoCallAndTheErrorSaysWhy() {
		this.fleet.start("bad-port", (instance) -> instance.metadata(GrpcPort.METADATA_KEY, "70000"));
		ManagedChannel channel = this.fleet.channel();
		assertThatExceptionOfType(StatusRuntimeException.class).isThrownBy(() -> GreetingFleet.greet(channel))
			.satisfies((ex) -> {
				assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
				assertThat(ex.getStatus().getDescription()).contains("'grpc-port'");
			});
	}

	@Test
	void invalidHashKeyHeaderIsRejected() {
		ConfigOrError parsed = new DiscoveryLoadBalancerProvider()
			.parseLoadBalancingPolicyConfig(Map.of(DiscoveryLoadBalancerProvider.HASH_KEY_HEADER, "user id"));
		assertThat(parsed.getError()).isNotNull();
		assertThat(parsed.getError().getDescription())
			.startsWith("Invalid discovery policy hashKeyHeader 'user id': must be the name of an ASCII request header");
	}

	@Test
	void unknownPolicySettingIsRejected() {
		ConfigOrError parsed = new DiscoveryLoadBalancerProvider()
			.parseLoadBalancingPolicyConfig(Map.of("hashKey", "x-user"));
		assertThat(parsed.getError().getDescription())
			.isEqualTo("Invalid discovery policy setting 'hashKey': the only setting is hashKeyHeader");
	}

	private void build(String target) {
		NettyChannelBuilder.forTarget(target)
			.usePlaintext()
			.setNameResolverArg(DiscoveryNameResolverProvider.OPTIONS, DiscoveryResolverOptions.of(this.fleet.client()))
			.build()
			.shutdownNow();
	}

}
