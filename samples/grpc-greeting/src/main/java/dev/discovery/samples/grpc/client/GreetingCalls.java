package dev.discovery.samples.grpc.client;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import com.google.protobuf.StringValue;
import dev.discovery.samples.grpc.Greeter;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.stub.ClientCalls;

import org.springframework.grpc.client.GrpcChannelFactory;
import org.springframework.stereotype.Service;

/**
 * Calls the greeting service through the channel named {@code greeting}, whose target is
 * {@code discovery:///grpc-greeting}, and counts who answered. Thread-safe.
 */
@Service
public class GreetingCalls {

	private final ManagedChannel channel;

	/**
	 * Creates the calls over Spring gRPC's channel named {@code greeting}.
	 * @param channels Spring gRPC's channel factory
	 */
	public GreetingCalls(GrpcChannelFactory channels) {
		this.channel = channels.createChannel("greeting");
	}

	/**
	 * Greets once.
	 * @param name who to greet
	 * @return the greeting, which names the instance that answered
	 */
	public String greet(String name) {
		return ClientCalls.blockingUnaryCall(this.channel, Greeter.GREET,
				CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS), StringValue.of(name))
			.getValue();
	}

	/**
	 * Greets several times and counts the answers per greeting.
	 * @param calls how many calls
	 * @return how many times each greeting came back, sorted
	 */
	public Map<String, Integer> spread(int calls) {
		Map<String, Integer> answers = new TreeMap<>();
		for (int i = 0; i < calls; i++) {
			answers.merge(greet("sample"), 1, Integer::sum);
		}
		return answers;
	}

}
