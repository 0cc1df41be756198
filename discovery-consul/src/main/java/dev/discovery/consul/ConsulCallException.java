package dev.discovery.consul;

import dev.discovery.core.DiscoveryException;
import org.jspecify.annotations.Nullable;

/**
 * A call to the Consul agent that failed: the agent was unreachable or timed out
 * ({@link #status()} 0), or answered with an error status.
 */
final class ConsulCallException extends DiscoveryException {

	private final int status;

	private final boolean agentForgot;

	ConsulCallException(String message, int status, boolean agentForgot, @Nullable Throwable cause) {
		super(message);
		if (cause != null) {
			initCause(cause);
		}
		this.status = status;
		this.agentForgot = agentForgot;
	}

	/** The HTTP status of the agent's answer, or 0 when there was none. */
	int status() {
		return this.status;
	}

	/** Whether the agent answered that it does not know the service or check. */
	boolean agentForgot() {
		return this.agentForgot;
	}

	/** Whether the agent answered at all. */
	boolean answered() {
		return this.status != 0;
	}

}
