package dev.discovery.etcd;

import java.time.Duration;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicLong;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Watch starts run at once, except during a burst of first lookups: then they wait until it
 * pauses, or the longest delay.
 */
class WatchStartsTest {

	private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);

	private final Burst burst = new Burst();

	private final WatchStarts starts = new WatchStarts(this.burst, this.scheduler);

	private final AtomicLong startedAt = new AtomicLong();

	@AfterEach
	void stop() {
		this.scheduler.shutdownNow();
	}

	@Test
	void withoutABurstAWatchStartsAtOnce() {
		this.burst.firstLookup(System.nanoTime());

		this.starts.start(this::started);

		Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> this.startedAt.get() != 0);
	}

	@Test
	void duringABurstAWatchStartsOnceItPauses() {
		long lastLookup = 0;
		for (int i = 0; i < Burst.SIZE; i++) {
			lastLookup = System.nanoTime();
			this.burst.firstLookup(lastLookup);
		}

		this.starts.start(this::started);

		Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> this.startedAt.get() != 0);
		assertThat(this.startedAt.get() - lastLookup).isGreaterThan(Burst.GAP.toNanos());
	}

	@Test
	void aBurstThatGoesOnHoldsAWatchForTheLongestDelayAtMost() {
		long asked = System.nanoTime();
		long burstEnds = asked + WatchStarts.MAX_DELAY.toNanos() + Duration.ofSeconds(1).toNanos();
		// Lookups stamped half a gap apart until a second past the longest delay: to the
		// starts, the burst goes on until then, however late this machine runs the checks.
		for (long at = asked; at <= burstEnds; at += Burst.GAP.toNanos() / 2) {
			this.burst.firstLookup(at);
		}

		this.starts.start(this::started);

		Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> this.startedAt.get() != 0);
		assertThat(this.startedAt.get() - asked).isGreaterThanOrEqualTo(WatchStarts.MAX_DELAY.toNanos());
		assertThat(this.startedAt.get()).as("started for the longest delay, not for the burst's end")
			.isLessThan(burstEnds);
	}

	private void started() {
		this.startedAt.set(System.nanoTime());
	}

}
