package dev.discovery.grpc;

import java.util.Map;
import java.util.function.Function;

import dev.discovery.core.DiscoveryClient;
import org.jspecify.annotations.Nullable;

/**
 * What the resolver of a {@code discovery:///} channel needs, given to the channel with
 * {@code ManagedChannelBuilder.setNameResolverArg(DiscoveryNameResolverProvider.OPTIONS, options)}.
 * Immutable.
 *
 * @param client the client whose snapshots and balancing policies the channel uses
 * @param hashKeyHeaders gives, for a service, the request header (gRPC metadata key) whose
 * value is the consistent-hash key of its RPCs, or {@code null} for none
 * @param serviceConfig the rest of the channel's service config, for example a
 * {@code methodConfig} with a {@code retryPolicy}; its {@code loadBalancingConfig} is always
 * replaced by the {@code discovery} policy. A service config from the resolver takes the
 * place of the channel's {@code defaultServiceConfig}, so what that would hold belongs here.
 */
public record DiscoveryResolverOptions(DiscoveryClient client, Function<String, @Nullable String> hashKeyHeaders,
		Map<String, ?> serviceConfig) {

	/**
	 * Copies the service config so that later changes to the caller's map have no effect.
	 */
	public DiscoveryResolverOptions {
		serviceConfig = Map.copyOf(serviceConfig);
	}

	/**
	 * Options with no hash key header and no further service config.
	 * @param client the client to resolve and balance with
	 * @return the options
	 */
	public static DiscoveryResolverOptions of(DiscoveryClient client) {
		return new DiscoveryResolverOptions(client, (service) -> null, Map.of());
	}

	/**
	 * Returns a copy with another hash key header per service.
	 * @param hashKeyHeaders gives the header of a service, or {@code null} for none
	 * @return the new options
	 */
	public DiscoveryResolverOptions withHashKeyHeaders(Function<String, @Nullable String> hashKeyHeaders) {
		return new DiscoveryResolverOptions(this.client, hashKeyHeaders, this.serviceConfig);
	}

	/**
	 * Returns a copy with another service config.
	 * @param serviceConfig the service config in its JSON form (maps, lists, strings,
	 * doubles, booleans)
	 * @return the new options
	 */
	public DiscoveryResolverOptions withServiceConfig(Map<String, ?> serviceConfig) {
		return new DiscoveryResolverOptions(this.client, this.hashKeyHeaders, serviceConfig);
	}

}
