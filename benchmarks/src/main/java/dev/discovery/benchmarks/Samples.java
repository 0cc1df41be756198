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
		long[] sorted = sorted();
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
	 * Returns a distribution-free confidence interval of the median: the pair of order
	 * statistics that holds the true median with at least 95% probability whatever the
	 * distribution, as the count of samples below the median is binomial with p = 1/2.
	 * @return the lower and the upper bound in milliseconds
	 * @throws IllegalStateException if fewer than 6 durations were added, too few for any
	 * pair of order statistics to reach 95%
	 */
	double[] medianConfidenceMillis() {
		double below = 0;
		double logTerm = -this.size * Math.log(2);
		int k = 0;
		while (k < this.size / 2 && 2 * (below + Math.exp(logTerm)) <= 0.05) {
			below += Math.exp(logTerm);
			logTerm += Math.log(this.size - k) - Math.log(k + 1);
			k++;
		}
		if (k == 0) {
			throw new IllegalStateException(this.size + " samples are too few for a 95% interval of the median");
		}
		long[] sorted = sorted();
		return new double[] { sorted[k - 1] / 1e6, sorted[this.size - k] / 1e6 };
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

	private long[] sorted() {
		long[] sorted = Arrays.copyOf(this.nanos, this.size);
		Arrays.sort(sorted);
		return sorted;
	}

}
