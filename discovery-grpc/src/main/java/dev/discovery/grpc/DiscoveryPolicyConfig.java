package dev.discovery.grpc;

import io.grpc.Metadata;
import org.jspecify.annotations.Nullable;

/**
 * The parsed config of the {@code discovery} policy of one channel.
 *
 * @param hashKey the header whose value is the consistent-hash key of an RPC, or
 * {@code null} for none
 */
record DiscoveryPolicyConfig(Metadata.@Nullable Key<String> hashKey) {

}
