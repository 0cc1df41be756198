package dev.discovery.core;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CountingLoadBalancerTest {

	@Test
	void countsPicksFromZero() {
		CountingLoadBalancer balancer = new RoundRobinLoadBalancer();

		assertThat(balancer.countPick()).isZero();
		assertThat(balancer.countPick()).isEqualTo(1);
	}

	/**
	 * Both threads spin (yielding now and then, for a machine with one free core) until both
	 * arrived at a round and then pick at once from a fresh strategy, so that their first
	 * picks often race to make the counter's array; a lost array would hand a count out
	 * twice.
	 */
	@Test
	void threadsRacingOnTheFirstPicksEachGetDistinctCountsAndNoneIsLost() throws InterruptedException {
		int rounds = 20_000;
		int perThread = 4;
		CountingLoadBalancer[] balancers = new CountingLoadBalancer[rounds];
		for (int round = 0; round < rounds; round++) {
			balancers[round] = new RoundRobinLoadBalancer();
		}
		AtomicInteger arrivals = new AtomicInteger();
		long[][] seen = new long[2][rounds * perThread];
		List<Thread> threads = new ArrayList<>();
		for (long[] values : seen) {
			threads.add(new Thread(() -> {
				for (int round = 0; round < rounds; round++) {
					int everyone = 2 * (round + 1);
					arrivals.incrementAndGet();
					for (int spins = 1; arrivals.get() < everyone; spins++) {
						if (spins % 100 == 0) {
							Thread.yield();
						}
						Thread.onSpinWait();
					}
					for (int i = 0; i < perThread; i++) {
						values[round * perThread + i] = balancers[round].countPick();
					}
				}
			}));
		}
		threads.forEach(Thread::start);
		for (Thread thread : threads) {
			thread.join();
		}

		Long[] everyRound = LongStream.range(0, 2 * perThread).boxed().toArray(Long[]::new);
		for (int round = 0; round < rounds; round++) {
			List<Long> values = new ArrayList<>();
			for (long[] thread : seen) {
				for (int i = 0; i < perThread; i++) {
					values.add(thread[round * perThread + i]);
				}
			}
			assertThat(values).as("round %d", round).containsExactlyInAnyOrder(everyRound);
		}
	}

}
