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
		for (int i = 0; i < Burst.SIZE; i++) {
			this.burst.firstLookup(System.nanoTime());
		}
		long asked = System.nanoTime();

		this.starts.start(this::started);

		Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10)).until(() -> {
			this.burst.firstLookup(System.nanoTime());
			return this.startedAt.get() != 0;
		});
		assertThat(this.startedAt.get() - asked).isGreaterThanOrEqualTo(WatchStarts.MAX_DELAY.toNanos())
			.isLessThan(WatchStarts.MAX_DELAY.toNanos() + Duration.ofSeconds(2).toNanos());
	}

	private void started() {
		this.startedAt.set(System.nanoTime());
	}

}
