package dev.discovery.consul.testserver;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

/**
 * Follows the TCP connections from one loopback address to one port while it is open, and
 * keeps the most that were established at once. It reads the kernel's tables once per
 * period, on a thread of its own, and compares each reading with the one before: a
 * connection listed in both was established for the whole time between them. The peak is
 * therefore never more than were open at once, which a single reading cannot promise (see
 * {@link LoopbackConnections}), and it includes every peak that lasts longer than one
 * period.
 */
public final class ConnectionPeak implements AutoCloseable {

	private final String from;

	private final int port;

	private final AtomicInteger most = new AtomicInteger();

	private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();

	/** Read and written only by the sampler's thread. */
	private @Nullable Set<String> previous;

	private ConnectionPeak(String from, int port) {
		this.from = from;
		this.port = port;
	}

	/**
	 * Starts following the connections.
	 * @param from the client's loopback address, such as {@code 127.0.0.1}
	 * @param port the server's port
	 * @param period how often to read the tables
	 * @return the peak so far, which grows until closed
	 */
	public static ConnectionPeak start(String from, int port, Duration period) {
		ConnectionPeak peak = new ConnectionPeak(from, port);
		peak.sampler.scheduleAtFixedRate(peak::read, 0, period.toNanos(), TimeUnit.NANOSECONDS);
		return peak;
	}

	/**
	 * Returns the most connections established at once so far.
	 * @return 0 until two readings were taken
	 */
	public int most() {
		return this.most.get();
	}

	/**
	 * Stops reading, and waits for a reading in progress to end.
	 * @throws InterruptedException if interrupted while waiting
	 */
	@Override
	public void close() throws InterruptedException {
		this.sampler.shutdownNow();
		this.sampler.awaitTermination(5, TimeUnit.SECONDS);
	}

	private void read() {
		Set<String> current = LoopbackConnections.established(this.from, this.port);
		if (this.previous != null) {
			this.most.accumulateAndGet(LoopbackConnections.listedInBoth(this.previous, current), Math::max);
		}
		this.previous = current;
	}

}
