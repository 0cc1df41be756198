package dev.discovery.grpc;

import java.util.Map;

import dev.discovery.core.ServiceCall;
import io.grpc.LoadBalancer.PickResult;
import io.grpc.LoadBalancer.PickSubchannelArgs;
import io.grpc.LoadBalancer.Subchannel;
import io.grpc.LoadBalancer.SubchannelPicker;
import io.grpc.Metadata;
import io.grpc.Status;
import org.jspecify.annotations.Nullable;

/**
 * Picks the subchannel of one RPC: the client chooses an instance with the service's
 * balancing policy, read at pick time, so an instance that is drained, DOWN or deregistered
 * is no longer chosen from the moment the client's snapshot changes, before the channel
 * hears of it. A chosen instance whose subchannel is not ready is passed over for another
 * (as a retry of the policy would): one whose connection failed counts as a failed call,
 * one still connecting or not yet known to the channel does not; when only those remain,
 * the RPC waits for the next picker. A client that cannot choose (closed, or its registry
 * unreachable on a first lookup) fails the RPC with {@code UNAVAILABLE}. Immutable and
 * thread-safe; a pick allocates the call handle, its tracer factory and the pick result,
 * and the stream its tracer.
 */
final class InstancePicker extends SubchannelPicker {

	private final ResolvedService service;

	private final Metadata.@Nullable Key<String> hashKey;

	private final Map<String, Subchannel> ready;

	private final Map<String, Status> failing;

	InstancePicker(ResolvedService service, Metadata.@Nullable Key<String> hashKey, Map<String, Subchannel> ready,
			Map<String, Status> failing) {
		this.service = service;
		this.hashKey = hashKey;
		this.ready = Map.copyOf(ready);
		this.failing = Map.copyOf(failing);
	}

	@Override
	public PickResult pickSubchannel(PickSubchannelArgs args) {
		String key = (this.hashKey != null) ? args.getHeaders().get(this.hashKey) : null;
		ServiceCall call;
		try {
			call = this.service.handle().startCall(key);
		}
		catch (RuntimeException ex) {
			return PickResult.withError(Status.UNAVAILABLE
				.withDescription("Could not choose an instance of service '" + this.service.service() + "': "
						+ ex.getMessage())
				.withCause(ex));
		}
		boolean waiting = false;
		Status failure = null;
		while (call != null) {
			String id = call.instance().id();
			Subchannel subchannel = this.ready.get(id);
			if (subchannel != null) {
				return PickResult.withSubchannel(subchannel, new CallOutcomeTracer(call));
			}
			Status failed = this.failing.get(id);
			if (failed != null) {
				call.failed();
				failure = failed;
			}
			else {
				waiting |= !this.service.unusable().contains(id);
			}
			call = call.retryNow();
		}
		if (waiting) {
			return PickResult.withNoResult();
		}
		return PickResult.withError(Status.UNAVAILABLE.withDescription(unavailable(failure)));
	}

	private String unavailable(@Nullable Status failure) {
		String prefix = "No instance of service '" + this.service.service() + "' can take the call: ";
		if (failure != null) {
			return prefix + "the connection to the instances chosen failed (" + failure + ")";
		}
		if (!this.service.unusable().isEmpty()) {
			return prefix + "the instances chosen have no valid '" + GrpcPort.METADATA_KEY + "' metadata";
		}
		return prefix + "it has no UP instance";
	}

	@Override
	public String toString() {
		return "InstancePicker{service=" + this.service.service() + ", ready=" + this.ready.keySet() + ", failing="
				+ this.failing.keySet() + "}";
	}

}
