package dev.discovery.grpc;

import java.util.Set;

import dev.discovery.core.ServiceHandle;
import io.grpc.Attributes;
import io.grpc.EquivalentAddressGroup;

/**
 * What the resolver of a {@code discovery:///} target hands to the {@code discovery} policy
 * with every address list: the handle of the service, whose balancer picks without looking
 * the service up by name, and the UP instances that have no usable gRPC address. Each
 * address group carries its instance's id under {@link #INSTANCE_ID}. Immutable.
 *
 * @param handle the service's handle in the client
 * @param unusable the ids of UP instances left out of the addresses
 */
record ResolvedService(ServiceHandle handle, Set<String> unusable) {

	/** Where the resolution result's attributes hold this. */
	static final Attributes.Key<ResolvedService> KEY = Attributes.Key.create("dev.discovery.grpc.service");

	/** Where an {@link EquivalentAddressGroup}'s attributes hold the id of its instance. */
	@EquivalentAddressGroup.Attr
	static final Attributes.Key<String> INSTANCE_ID = Attributes.Key.create("dev.discovery.grpc.instance-id");

	ResolvedService {
		unusable = Set.copyOf(unusable);
	}

	/**
	 * Returns the service's name.
	 * @return the lower-case service name
	 */
	String service() {
		return this.handle.name();
	}

}
