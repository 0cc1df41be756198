package dev.discovery.core;

import java.time.Duration;

/**
 * When an instance is taken out of rotation for failing, and for how long. An instance is
 * ejected after {@code consecutiveFailures} failed calls in a row; its ejection lasts
 * {@code baseEjectionTime} times the number of times it was ejected, capped at
 * {@code maxEjectionTime}; then it is back in rotation. The count of ejections starts over
 * once an instance has stayed in rotation for {@code maxEjectionTime}. At most
 * {@code maxEjectionPercent} of a service's instances are ejected at once, and always at
 * least one may be. Immutable.
 *
 * @param consecutiveFailures failures in a row that eject an instance; 0 turns ejection off
 * @param baseEjectionTime the ejection time of a first ejection
 * @param maxEjectionTime the longest ejection time
 * @param maxEjectionPercent the share of a service's instances that may be ejected at once,
 * 1-100
 */
public record OutlierDetection(int consecutiveFailures, Duration baseEjectionTime, Duration maxEjectionTime,
		int maxEjectionPercent) {

	/** Five failures in a row; 30 s, 60 s, ... up to 300 s; at most 10 % of instances. */
	public static final OutlierDetection DEFAULTS = new OutlierDetection(5, Duration.ofSeconds(30),
			Duration.ofSeconds(300), 10);

	/**
	 * Checks every field.
	 * @throws IllegalArgumentException if a field breaks its rule; the message names it
	 */
	public OutlierDetection {
		Validation.between("consecutive failures", consecutiveFailures, 0, Integer.MAX_VALUE);
		Validation.positive("base ejection time", baseEjectionTime);
		Validation.positive("max ejection time", maxEjectionTime);
		if (maxEjectionTime.compareTo(baseEjectionTime) < 0) {
			throw Validation.invalid("max ejection time", maxEjectionTime.toString(),
					"must not be below the base ejection time " + baseEjectionTime);
		}
		Validation.between("max ejection percent", maxEjectionPercent, 1, 100);
	}

	/**
	 * Tells whether failures eject instances at all.
	 * @return {@code false} when {@code consecutiveFailures} is 0
	 */
	public boolean enabled() {
		return this.consecutiveFailures > 0;
	}

	/**
	 * Returns how long an ejection lasts.
	 * @param ejections the number of times the instance has been ejected, this one included
	 * @return the base time times {@code ejections}, capped at the maximum
	 */
	public Duration ejectionTime(int ejections) {
		long base = this.baseEjectionTime.toNanos();
		long max = this.maxEjectionTime.toNanos();
		return Duration.ofNanos((ejections > max / base) ? max : Math.min(max, base * ejections));
	}

	/**
	 * Returns how many instances of a service may be ejected at once.
	 * @param instances the number of instances the service has
	 * @return {@code maxEjectionPercent} of them, rounded down, but at least one
	 */
	public int maxEjected(int instances) {
		return Math.max(1, (int) ((long) instances * this.maxEjectionPercent / 100));
	}

}
