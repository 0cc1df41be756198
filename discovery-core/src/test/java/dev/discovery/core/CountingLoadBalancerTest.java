package dev.discovery.core;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
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

	@Test
	void threadsRacingOnTheFirstPicksEachGetDistinctCountsAndNoneIsLost() throws Exception {
		int rounds = 500;
		int perThread = 50;
		CountingLoadBalancer[] balancers = new CountingLoadBalancer[rounds];
		for (int round = 0; round < rounds; round++) {
			balancers[round] = new RoundRobinLoadBalancer();
		}
		CyclicBarrier together = new CyclicBarrier(2);
		List<List<Long>> seen = List.of(new ArrayList<>(), new ArrayList<>());
		List<Thread> threads = new ArrayList<>();
		for (List<Long> values : seen) {
			threads.add(new Thread(() -> {
				try {
					for (CountingLoadBalancer balancer : balancers) {
						together.await();
						for (int i = 0; i < perThread; i++) {
							values.add(balancer.countPick());
						}
					}
				}
				catch (Exception ex) {
					throw new IllegalStateException(ex);
				}
			}));
		}
		threads.forEach(Thread::start);
		for (Thread thread : threads) {
			thread.join();
		}

		Long[] everyRound = LongStream.range(0, 2 * perThread).boxed().toArray(Long[]::new);
		for (int round = 0; round < rounds; round++) {
			int from = round * perThread;
			List<Long> values = new ArrayList<>(seen.get(0).subList(from, from + perThread));
			values.addAll(seen.get(1).subList(from, from + perThread));
			assertThat(values).as("round %d", round).containsExactlyInAnyOrder(everyRound);
		}
	}

}
