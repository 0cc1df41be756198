package dev.discovery.consul;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * Turns a failed call to one agent into a {@link ConsulCallException} whose message names
 * the agent, the operation and the reason, never the ACL token, and records the failure in
 * the backend's {@link AgentHealth}. Shared by every client the backend opens to its agent,
 * whatever HTTP library makes the call. Thread-safe.
 */
final class AgentFailures {

	static final String TOKEN_PROPERTY = "discovery.consul.token";

	private final String address;

	private final @Nullable String token;

	private final AgentHealth health;

	AgentFailures(String address, @Nullable String token, AgentHealth health) {
		this.address = address;
		this.token = token;
		this.health = health;
	}

	/**
	 * The agent answered with an error status. An ACL denial says which setting to change; a
	 * 404 or an unknown service or check marks the exception as the agent having forgotten it.
	 */
	ConsulCallException refused(String operation, int status, String content, @Nullable Throwable cause) {
		String redacted = redact(content.trim());
		boolean forgot = status == 404 || redacted.contains("Unknown check")
				|| redacted.contains("does not have associated TTL") || redacted.contains("Unknown service");
		StringBuilder message = new StringBuilder("Consul agent at ").append(this.address)
			.append(" refused to ")
			.append(operation)
			.append(" (HTTP ")
			.append(status)
			.append(": ")
			.append(redacted)
			.append(')');
		if (status == 401 || status == 403) {
			message.append(". Set ")
				.append(TOKEN_PROPERTY)
				.append(" to an ACL token that allows it (")
				.append((this.token != null) ? "the configured token does not" : "no token is configured")
				.append(')');
		}
		this.health.refused(operation, message.toString());
		return new ConsulCallException(message.toString(), status, forgot, cause);
	}

	/** The agent's answer could not be read. */
	ConsulCallException unreadable(String operation, String reason, Throwable cause) {
		String message = "Consul agent at " + this.address + " gave an unreadable answer to " + operation + ": "
				+ redact(reason);
		this.health.refused(operation, message);
		return new ConsulCallException(message, 200, false, cause);
	}

	/**
	 * The agent did not answer: it timed out after the given time, when that is known, or
	 * could not be reached. A call aborted because its client was closed is not recorded.
	 */
	ConsulCallException unreachable(String operation, Throwable cause, @Nullable Duration timedOutAfter,
			boolean closing) {
		String message = (timedOutAfter != null)
				? "Consul agent at " + this.address + " did not answer in time, could not " + operation
						+ ": timed out after " + timedOutAfter + " (" + redact(String.valueOf(cause)) + ")"
				: "Consul agent at " + this.address + " is unreachable, could not " + operation + ": "
						+ redact(String.valueOf(cause));
		if (!closing) {
			this.health.unreachable(message);
		}
		return new ConsulCallException(message, 0, false, cause);
	}

	private String redact(String text) {
		return (this.token != null && !this.token.isEmpty()) ? text.replace(this.token, "******") : text;
	}

}
