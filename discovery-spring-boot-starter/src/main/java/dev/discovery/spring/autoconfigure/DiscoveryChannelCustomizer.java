package dev.discovery.spring.autoconfigure;

import dev.discovery.grpc.DiscoveryNameResolverProvider;
import dev.discovery.grpc.DiscoveryResolverOptions;
import io.grpc.ManagedChannelBuilder;

import org.springframework.grpc.client.GrpcChannelBuilderCustomizer;

/**
 * Gives every channel that Spring gRPC builds the application's {@code DiscoveryClient}, so
 * that a {@code discovery:///<service>} target resolves through it; other targets ignore it.
 *
 * @param <T> the type of channel builder
 */
final class DiscoveryChannelCustomizer<T extends ManagedChannelBuilder<T>> implements GrpcChannelBuilderCustomizer<T> {

	private final DiscoveryResolverOptions options;

	DiscoveryChannelCustomizer(DiscoveryResolverOptions options) {
		this.options = options;
	}

	@Override
	public void customize(String target, T builder) {
		builder.setNameResolverArg(DiscoveryNameResolverProvider.OPTIONS, this.options);
	}

}
