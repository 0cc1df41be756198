package dev.discovery.grpc;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.discovery.core.Validation;
import io.grpc.NameResolver;
import io.grpc.NameResolverProvider;
import org.jspecify.annotations.Nullable;

/**
 * Resolves {@code discovery:///<service>} targets to the UP instances of the service, as a
 * {@link dev.discovery.core.DiscoveryClient} sees them, and gives those channels the
 * {@code discovery} load-balancing policy through the resolver's service config (which
 * takes precedence over a channel's {@code defaultLoadBalancingPolicy}). Changes are pushed
 * from the client's watch; nothing is polled. Its priority is below DNS's, so targets
 * without a scheme still go to DNS. Found by grpc-java through {@link java.util.ServiceLoader};
 * each channel names its client with {@link #OPTIONS}. Stateless and thread-safe.
 */
public final class DiscoveryNameResolverProvider extends NameResolverProvider {

	/** The URI scheme of discovery targets. */
	public static final String SCHEME = "discovery";

	/** The name resolver arg through which a channel gives its {@link DiscoveryResolverOptions}. */
	public static final NameResolver.Args.Key<DiscoveryResolverOptions> OPTIONS = NameResolver.Args.Key
		.create("dev.discovery.grpc.options");

	private static final String TARGET_RULE = "must be " + SCHEME + ":///<service>, with no authority";

	/**
	 * Returns {@code true}: the resolver needs nothing beyond grpc-java's API.
	 * @return {@code true}
	 */
	@Override
	protected boolean isAvailable() {
		return true;
	}

	/**
	 * Returns 4, one below grpc-java's DNS resolver, so that DNS stays the default scheme.
	 * @return the priority
	 */
	@Override
	protected int priority() {
		return 4;
	}

	/**
	 * Returns {@value #SCHEME}, the scheme this provider resolves.
	 * @return the scheme
	 */
	@Override
	public String getDefaultScheme() {
		return SCHEME;
	}

	/**
	 * Creates the resolver of a {@code discovery:///<service>} target.
	 * @param targetUri the target
	 * @param args the channel's resolver args, which must hold {@link #OPTIONS}
	 * @return the resolver, or {@code null} when the scheme is not {@value #SCHEME}
	 * @throws IllegalArgumentException if the target names no valid service, if the channel
	 * gave no {@link #OPTIONS}, or if their service config is invalid; the message names the
	 * field, the value and the rule
	 */
	@Override
	public @Nullable NameResolver newNameResolver(URI targetUri, NameResolver.Args args) {
		if (!SCHEME.equals(targetUri.getScheme())) {
			return null;
		}
		String service = service(targetUri);
		DiscoveryResolverOptions options = args.getArg(OPTIONS);
		if (options == null) {
			throw Validation.invalid("name resolver arg " + OPTIONS, null,
					"a channel to " + targetUri + " must be given its DiscoveryClient with "
							+ "setNameResolverArg(DiscoveryNameResolverProvider.OPTIONS, DiscoveryResolverOptions.of(client))");
		}
		NameResolver.ConfigOrError serviceConfig = args.getServiceConfigParser()
			.parseServiceConfig(serviceConfig(options, service));
		if (serviceConfig.getError() != null) {
			throw Validation.invalid("service config of " + targetUri, String.valueOf(options.serviceConfig()),
					"must be a valid gRPC service config: " + serviceConfig.getError().getDescription());
		}
		return new DiscoveryNameResolver(service, options, serviceConfig, args.getSynchronizationContext(),
				args.getOffloadExecutor());
	}

	private static String service(URI target) {
		String path = target.getPath();
		if (target.getAuthority() != null || path == null || !path.startsWith("/") || path.length() == 1
				|| target.getQuery() != null || target.getFragment() != null) {
			throw Validation.invalid("target", target.toString(), TARGET_RULE);
		}
		return Validation.serviceName(path.substring(1));
	}

	private static Map<String, ?> serviceConfig(DiscoveryResolverOptions options, String service) {
		String hashKeyHeader = options.hashKeyHeaders().apply(service);
		Map<String, ?> policyConfig = (hashKeyHeader != null)
				? Map.of(DiscoveryLoadBalancerProvider.HASH_KEY_HEADER, hashKeyHeader) : Map.of();
		Map<String, Object> config = new LinkedHashMap<>(options.serviceConfig());
		config.put("loadBalancingConfig", List.of(Map.of(DiscoveryLoadBalancerProvider.POLICY_NAME, policyConfig)));
		return config;
	}

}
