package dev.discovery.grpc;

import java.util.Map;

import dev.discovery.core.Validation;
import io.grpc.LoadBalancer;
import io.grpc.LoadBalancerProvider;
import io.grpc.Metadata;
import io.grpc.NameResolver.ConfigOrError;
import io.grpc.Status;

/**
 * The load-balancing policy {@value #POLICY_NAME}: per RPC it picks an instance with the
 * service's {@link dev.discovery.core.BalancingPolicy} (filters, zone, outlier ejection with
 * panic, then the strategy) and reports the RPC's outcome back to it. It serves channels
 * whose resolver is {@link DiscoveryNameResolverProvider}, which selects it; its one
 * setting, {@value #HASH_KEY_HEADER}, names the request header whose value is the
 * consistent-hash key. Found by grpc-java through {@link java.util.ServiceLoader}. Stateless
 * and thread-safe.
 */
public final class DiscoveryLoadBalancerProvider extends LoadBalancerProvider {

	/** The name of the policy in a service config's {@code loadBalancingConfig}. */
	public static final String POLICY_NAME = "discovery";

	/** The policy's setting that names the header whose value is the consistent-hash key. */
	public static final String HASH_KEY_HEADER = "hashKeyHeader";

	/**
	 * Returns {@code true}: the policy needs nothing beyond grpc-java's API.
	 * @return {@code true}
	 */
	@Override
	public boolean isAvailable() {
		return true;
	}

	/**
	 * Returns 5, grpc-java's usual priority, as no other provider names this policy.
	 * @return the priority
	 */
	@Override
	public int getPriority() {
		return 5;
	}

	/**
	 * Returns {@value #POLICY_NAME}.
	 * @return the policy name
	 */
	@Override
	public String getPolicyName() {
		return POLICY_NAME;
	}

	/**
	 * Creates the policy of one channel; it runs on that channel's synchronization context.
	 * @param helper the channel's helper
	 * @return the new policy
	 */
	@Override
	public LoadBalancer newLoadBalancer(LoadBalancer.Helper helper) {
		return new DiscoveryLoadBalancer(helper);
	}

	/**
	 * Reads the policy's config: an empty object, or one with a {@value #HASH_KEY_HEADER}
	 * string that is a valid ASCII header name.
	 * @param rawConfig the policy's object from the service config
	 * @return the parsed config, or an error that names the field, the value and the rule
	 */
	@Override
	public ConfigOrError parseLoadBalancingPolicyConfig(Map<String, ?> rawConfig) {
		for (String field : rawConfig.keySet()) {
			if (!HASH_KEY_HEADER.equals(field)) {
				return invalid(POLICY_NAME + " policy setting", field, "the only setting is " + HASH_KEY_HEADER);
			}
		}
		Object header = rawConfig.get(HASH_KEY_HEADER);
		if (header == null) {
			return ConfigOrError.fromConfig(new DiscoveryPolicyConfig(null));
		}
		String field = POLICY_NAME + " policy " + HASH_KEY_HEADER;
		String rule = "must be the name of an ASCII request header";
		if (!(header instanceof String name)) {
			return invalid(field, String.valueOf(header), rule);
		}
		try {
			return ConfigOrError.fromConfig(new DiscoveryPolicyConfig(Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER)));
		}
		catch (IllegalArgumentException ex) {
			return invalid(field, name, rule + " (" + ex.getMessage() + ")");
		}
	}

	private static ConfigOrError invalid(String field, String value, String rule) {
		return ConfigOrError
			.fromError(Status.INVALID_ARGUMENT.withDescription(Validation.invalid(field, value, rule).getMessage()));
	}

}
