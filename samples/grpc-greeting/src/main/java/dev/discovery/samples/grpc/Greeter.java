package dev.discovery.samples.grpc;

import com.google.protobuf.StringValue;
import io.grpc.MethodDescriptor;
import io.grpc.protobuf.ProtoUtils;

/**
 * The contract of the greeting service, shared by server and client: one unary method,
 * {@code greeting.Greeter/Greet}, from a name to a greeting, both carried as protobuf's
 * {@code StringValue} so that the sample needs no generated code.
 */
public final class Greeter {

	/** The gRPC service name. */
	public static final String SERVICE = "greeting.Greeter";

	/** The greeting method. */
	public static final MethodDescriptor<StringValue, StringValue> GREET = MethodDescriptor
		.<StringValue, StringValue>newBuilder()
		.setType(MethodDescriptor.MethodType.UNARY)
		.setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, "Greet"))
		.setRequestMarshaller(ProtoUtils.marshaller(StringValue.getDefaultInstance()))
		.setResponseMarshaller(ProtoUtils.marshaller(StringValue.getDefaultInstance()))
		.build();

	private Greeter() {
	}

}
