package dev.discovery.grpc;

import java.util.Set;

import dev.discovery.core.DiscoveryClient;
import io.grpc.Attributes;
import io.grpc.EquivalentAddressGroup;

/**
 * What the resolver of a {@code discovery:///} target hands to the {@code discovery} policy
 * with every address list: the client to pick with, the service, and the UP instances that
 * have no usable gRPC address. Each address group carries its instance's id under
 * {@link #INSTANCE_ID}. Immutable.
 *
 * @param client the client whose balancer picks
 * @param service the lower-case service name
 * @param unusable the ids of UP instances left out of the addresses
 */
record ResolvedService(DiscoveryClient client, String service, Set<String> unusable) {

	/** Where the resolution result's attributes hold this. */
	static final Attributes.Key<ResolvedService> KEY = Attributes.Key.create("dev.discovery.grpc.service");

	/** Where an {@link EquivalentAddressGroup}'s attributes hold the id of its instance. */
	@EquivalentAddressGroup.Attr
	static final Attributes.Key<String> INSTANCE_ID = Attributes.Key.create("dev.discovery.grpc.instance-id");

	ResolvedService {
		unusable = Set.copyOf(unusable);
	}

}
