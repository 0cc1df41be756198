package dev.discovery.core;

import java.time.Duration;

/**
 * How often a failed idempotent call is tried again on another instance, and how long to
 * wait before each new attempt. A call never goes to the same instance twice. Immutable.
 *
 * @param maxRetries the most attempts after the first one; 0 turns retries off
 * @param backoff the delay before each retry, growing with the attempt
 */
public record Retries(int maxRetries, Backoff backoff) {

	/** Two retries, after about 25 ms and 50 ms (jittered, capped at 250 ms). */
	public static final Retries DEFAULTS = new Retries(2, new Backoff(Duration.ofMillis(25), Duration.ofMillis(250)));

	/**
	 * Checks the retry count.
	 * @throws IllegalArgumentException if {@code maxRetries} is negative or above 10
	 */
	public Retries {
		Validation.between("max retries", maxRetries, 0, 10);
	}

}
