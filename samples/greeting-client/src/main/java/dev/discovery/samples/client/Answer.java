package dev.discovery.samples.client;

import org.jspecify.annotations.Nullable;

/**
 * The outcome of one call: the instance that answered, or why nobody did.
 *
 * @param instance the id of the instance that answered, or {@code null} when the call failed
 * @param port the port of the instance that answered, or 0
 * @param error why the call failed, or {@code null} when it succeeded
 */
public record Answer(@Nullable String instance, int port, @Nullable String error) {

	/**
	 * An answered call.
	 * @param instance the id of the instance that answered
	 * @param port its port
	 * @return the answer
	 */
	public static Answer answered(String instance, int port) {
		return new Answer(instance, port, null);
	}

	/**
	 * A failed call.
	 * @param error why it failed
	 * @return the answer
	 */
	public static Answer failed(@Nullable String error) {
		return new Answer(null, 0, (error != null) ? error : "unknown failure");
	}

	/**
	 * Tells whether an instance answered.
	 * @return {@code true} when the call succeeded
	 */
	public boolean succeeded() {
		return this.error == null;
	}

}
