package dev.discovery.core;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Capped exponential back-off with jitter, for backends that retry against a registry.
 * The delay before attempt {@code n} (from 0) is drawn uniformly from the upper half of
 * {@code min(max, initial × 2^n)}, so that many clients restarting together spread out.
 * Immutable and thread-safe.
 *
 * @param initial the base delay of the first retry
 * @param max the cap
 */
public record Backoff(Duration initial, Duration max) {

	/**
	 * Checks that both delays are positive and the cap is not below the base.
	 * @throws IllegalArgumentException if a delay is not positive or {@code max < initial}
	 */
	public Backoff {
		Validation.positive("back-off initial delay", initial);
		Validation.positive("back-off maximum delay", max);
		if (max.compareTo(initial) < 0) {
			throw Validation.invalid("back-off maximum delay", max.toString(), "must not be below the initial delay " + initial);
		}
	}

	/**
	 * Returns the delay before an attempt.
	 * @param attempt the number of attempts that already failed, from 0
	 * @return the delay, between half the capped delay and the capped delay
	 */
	public Duration delay(int attempt) {
		long cap = this.max.toNanos();
		long base = this.initial.toNanos();
		long capped = (attempt >= 62 || base > (cap >> Math.min(attempt, 62))) ? cap : Math.min(cap, base << attempt);
		long half = capped / 2;
		return Duration.ofNanos(half + ThreadLocalRandom.current().nextLong(capped - half + 1));
	}

}
