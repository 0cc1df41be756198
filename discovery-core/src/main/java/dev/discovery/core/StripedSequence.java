package dev.discovery.core;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A counter that threads can advance without bouncing one cache line between cores: it
 * keeps several stripes, each its own counter on its own cache line, and a thread always
 * advances the stripe its id falls on.
 * <p>
 * Each stripe hands out consecutive numbers from zero. So the numbers
 * one thread receives while no other thread uses its stripe are consecutive, and the
 * numbers of any set of threads sharing a stripe are consecutive between them. Over any
 * stretch, every stripe used has handed out one run of consecutive numbers: a strategy
 * that maps numbers onto a cycle sees each stripe walk the cycle in order, and the stripes
 * together are off the exact share of any position by less than one partial cycle per
 * stripe, that is by less than {@link #stripes()} visits per cycle position.
 */
final class StripedSequence {

	/** Longs per stripe: 128 bytes, two cache lines, so that adjacent-line prefetch does not share them. */
	private static final int SPACING = 16;

	private static final int MAX_STRIPES = 16;

	private final AtomicLongArray counters;

	private final int mask;

	/**
	 * Creates a sequence with twice as many stripes as processors, as a power of two of at
	 * most 16, so that a few busy threads seldom share a stripe.
	 */
	StripedSequence() {
		this(Math.min(MAX_STRIPES, Integer.highestOneBit(Runtime.getRuntime().availableProcessors() * 2 - 1) << 1));
	}

	/**
	 * Creates a sequence with the given number of stripes, each starting at zero.
	 * @param stripes a power of two
	 */
	StripedSequence(int stripes) {
		if (stripes <= 0 || Integer.bitCount(stripes) != 1) {
			throw new IllegalArgumentException("stripes must be a positive power of two, was " + stripes);
		}
		this.counters = new AtomicLongArray((stripes + 1) * SPACING);
		this.mask = stripes - 1;
	}

	/**
	 * Returns the calling thread's stripe's next number.
	 * @return a non-negative number, unless the stripe ran past {@link Long#MAX_VALUE}
	 */
	long next() {
		int stripe = (int) Thread.currentThread().getId() & this.mask;
		return this.counters.getAndIncrement(slot(stripe));
	}

	/**
	 * Returns how many stripes there are, which bounds how far the picks of many threads
	 * stray from the exact share.
	 * @return the number of stripes
	 */
	int stripes() {
		return this.mask + 1;
	}

	private static int slot(int stripe) {
		return (stripe + 1) * SPACING;
	}

}
