package dev.discovery.core;

/**
 * Thrown when a registry cannot do what was asked: it is unreachable, timed out, or refused
 * the request. The message says which registry, which operation, and why.
 */
public class DiscoveryException extends RuntimeException {

	/**
	 * Creates an exception with a message.
	 * @param message what failed and why
	 */
	public DiscoveryException(String message) {
		super(message);
	}

	/**
	 * Creates an exception with a message and its cause.
	 * @param message what failed and why
	 * @param cause the underlying failure
	 */
	public DiscoveryException(String message, Throwable cause) {
		super(message, cause);
	}

}
