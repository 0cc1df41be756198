/**
 * grpc-java over discovery: the name resolver of {@code discovery:///<service>} targets,
 * pushed from a {@link dev.discovery.core.DiscoveryClient} watch, and the {@code discovery}
 * load-balancing policy, which picks per RPC with the service's
 * {@link dev.discovery.core.BalancingPolicy} and reports each RPC's outcome to it. Both are
 * found by grpc-java's provider look-up; nothing here depends on Spring.
 */
@NullMarked
package dev.discovery.grpc;

import org.jspecify.annotations.NullMarked;
