package dev.discovery.etcd;

import java.time.Duration;

/**
 * Tells whether first lookups (of services not read in the last moment) come in a burst: at
 * least {@value #SIZE} of them, each less than {@link #GAP} after the one before, as when an
 * application or gateway starts and looks up every service it calls. Thread-safe.
 */
final class Burst {

	/** The most time between two first lookups of one burst. */
	static final Duration GAP = Duration.ofMillis(100);

	/** How many first lookups make a burst. */
	static final int SIZE = 2;

	private int count;

	private long lastAt;

	/**
	 * Counts a first lookup.
	 * @param now the time, in {@link System#nanoTime()}
	 * @return whether it belongs to a burst
	 */
	synchronized boolean firstLookup(long now) {
		this.count = (this.count > 0 && now - this.lastAt <= GAP.toNanos()) ? this.count + 1 : 1;
		this.lastAt = now;
		return this.count >= SIZE;
	}

	/**
	 * Tells whether a burst goes on: it has had {@value #SIZE} first lookups, and the last
	 * came less than {@link #GAP} ago.
	 * @param now the time, in {@link System#nanoTime()}
	 * @return whether a burst goes on
	 */
	synchronized boolean goesOn(long now) {
		return this.count >= SIZE && now - this.lastAt <= GAP.toNanos();
	}

}
