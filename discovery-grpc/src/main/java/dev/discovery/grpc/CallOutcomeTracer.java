package dev.discovery.grpc;

import java.util.EnumSet;
import java.util.Set;

import dev.discovery.core.ServiceCall;
import io.grpc.ClientStreamTracer;
import io.grpc.Metadata;
import io.grpc.Status;

/**
 * Reports the outcome of one picked RPC to its {@link ServiceCall}, like an HTTP 5xx or I/O
 * failure versus any other response: {@code UNAVAILABLE}, {@code DEADLINE_EXCEEDED},
 * {@code INTERNAL}, {@code UNKNOWN} and {@code DATA_LOSS} fail the instance;
 * {@code CANCELLED} (the caller gave up) ends the call without an outcome; every other code
 * (OK, and those that are the caller's fault or the application's answer, such as
 * {@code INVALID_ARGUMENT}, {@code NOT_FOUND} or {@code PERMISSION_DENIED}) is a success
 * whose latency counts. Only the first stream's end counts.
 */
final class CallOutcomeTracer extends ClientStreamTracer.Factory {

	/** The status codes that count as a failure of the instance. */
	static final Set<Status.Code> FAILURES = EnumSet.of(Status.Code.UNAVAILABLE, Status.Code.DEADLINE_EXCEEDED,
			Status.Code.INTERNAL, Status.Code.UNKNOWN, Status.Code.DATA_LOSS);

	private final ServiceCall call;

	CallOutcomeTracer(ServiceCall call) {
		this.call = call;
	}

	@Override
	public ClientStreamTracer newClientStreamTracer(ClientStreamTracer.StreamInfo info, Metadata headers) {
		return new ClientStreamTracer() {

			@Override
			public void streamClosed(Status status) {
				report(status.getCode());
			}

		};
	}

	private void report(Status.Code code) {
		if (code == Status.Code.CANCELLED) {
			this.call.close();
		}
		else if (FAILURES.contains(code)) {
			this.call.failed();
		}
		else {
			this.call.succeeded();
		}
	}

}
