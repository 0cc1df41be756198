package dev.discovery.grpc;

import dev.discovery.core.ServiceInstance;
import dev.discovery.core.Validation;

/**
 * Which port of an instance serves gRPC: the value of its {@value #METADATA_KEY} metadata,
 * or its registered port when it has none (an application that serves gRPC only).
 */
public final class GrpcPort {

	/** The metadata key whose value is the gRPC port of an instance. */
	public static final String METADATA_KEY = "grpc-port";

	private GrpcPort() {
	}

	/**
	 * Returns the port on which an instance serves gRPC.
	 * @param instance the instance
	 * @return its {@value #METADATA_KEY} metadata, or its port when that is absent
	 * @throws IllegalArgumentException if the metadata is not a port number, with a message
	 * that names the instance, the key, the value and the rule
	 */
	public static int of(ServiceInstance instance) {
		String value = instance.metadata().get(METADATA_KEY);
		if (value == null) {
			return instance.port();
		}
		String field = "metadata '" + METADATA_KEY + "' of instance " + instance.id();
		try {
			return Validation.port(field, Integer.parseInt(value.trim()));
		}
		catch (NumberFormatException ex) {
			throw Validation.invalid(field, value, "must be a port number between 1 and 65535");
		}
	}

}
