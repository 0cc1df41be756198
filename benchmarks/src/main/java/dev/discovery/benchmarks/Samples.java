package dev.discovery.benchmarks;

import java.util.Arrays;

/**
 * Durations measured one by one, summarised by nearest-rank percentiles in milliseconds.
 * Not thread-safe.
 */
final class Samples {

	private long[] nanos = new long[64];

	private int size;

	/**
	 * Adds one duration.
	 * @param durationNanos the duration in nanoseconds
	 */
	void add(long durationNanos) {
		if (this.size == this.nanos.length) {
			this.nanos = Arrays.copyOf(this.nanos, this.size * 2);
		}
		this.nanos[this.size++] = durationNanos;
	}

	/**
	 * Forgets every duration added so far, for example those of a warm-up.
	 */
	void clear() {
		this.size = 0;
	}

	/**
	 * Returns how many durations were added.
	 * @return the count
	 */
	int size() {
		return this.size;
	}

	/**
	 * Returns a percentile by the nearest-rank method.
	 * @param percent from 0 (exclusive) to 100
	 * @return the duration in milliseconds
	 * @throws IllegalStateException if nothing was added
	 */
	double percentileMillis(double percent) {
		if (this.size == 0) {
			throw new IllegalStateException("No samples");
		}
		long[] sorted = Arrays.copyOf(this.nanos, this.size);
		Arrays.sort(sorted);
		int rank = (int) Math.ceil(percent / 100 * this.size);
		return sorted[Math.max(0, rank - 1)] / 1e6;
	}

	/**
	 * Returns the median.
	 * @return the duration in milliseconds
	 */
	double medianMillis() {
		return percentileMillis(50);
	}

	/**
	 * Returns the 99th percentile.
	 * @return the duration in milliseconds
	 */
	double p99Millis() {
		return percentileMillis(99);
	}

	/**
	 * Returns the shortest duration.
	 * @return the duration in milliseconds
	 */
	double minMillis() {
		return percentileMillis(Double.MIN_VALUE);
	}

	/**
	 * Returns the longest duration.
	 * @return the duration in milliseconds
	 */
	double maxMillis() {
		return percentileMillis(100);
	}

}
