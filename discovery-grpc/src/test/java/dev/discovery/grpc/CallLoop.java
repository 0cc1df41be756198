package dev.discovery.grpc;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import io.grpc.Channel;
import io.grpc.StatusRuntimeException;

/**
 * Threads that call the greeting method back to back until stopped or until a time limit,
 * counting the calls and keeping the failures.
 */
final class CallLoop implements AutoCloseable {

	private static final Duration LIMIT = Duration.ofSeconds(60);

	private final List<Thread> threads;

	private final AtomicInteger calls = new AtomicInteger();

	private final List<StatusRuntimeException> failures = new CopyOnWriteArrayList<>();

	private volatile boolean stopped;

	CallLoop(Channel channel, int threads) {
		long deadline = System.nanoTime() + LIMIT.toNanos();
		this.threads = IntStream.range(0, threads).mapToObj((i) -> new Thread(() -> {
			while (!this.stopped && System.nanoTime() - deadline < 0) {
				try {
					GreetingFleet.greet(channel);
					this.calls.incrementAndGet();
				}
				catch (StatusRuntimeException ex) {
					this.failures.add(ex);
				}
			}
		}, "call-loop-" + i)).toList();
		this.threads.forEach(Thread::start);
	}

	int calls() {
		return this.calls.get();
	}

	List<StatusRuntimeException> failures() {
		return this.failures;
	}

	@Override
	public void close() throws InterruptedException {
		this.stopped = true;
		for (Thread thread : this.threads) {
			thread.join();
		}
	}

}
