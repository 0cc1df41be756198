package dev.discovery.benchmarks;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.discovery.core.DiscoveryClient;
import dev.discovery.core.InstanceStatus;
import dev.discovery.core.ServiceEvent;
import dev.discovery.core.ServiceInstance;

/**
 * Notes when instances of one service become choosable (UP) or stop being so in a
 * {@link DiscoveryClient}, timestamped on the client's delivery thread, and lets the
 * measuring thread wait for one such change. Thread-safe.
 */
final class Watcher implements AutoCloseable {

	private final BlockingQueue<Change> changes = new LinkedBlockingQueue<>();

	private final AutoCloseable subscription;

	/**
	 * Starts watching; the service is looked up (and its watch started) now.
	 * @param client the client whose view is observed
	 * @param service the service
	 */
	Watcher(DiscoveryClient client, String service) {
		this.subscription = client.addListener(service, this::record);
	}

	private void record(ServiceEvent event) {
		long now = System.nanoTime();
		ServiceInstance current = event.current();
		ServiceInstance instance = (current != null) ? current : event.previous();
		if (instance != null) {
			this.changes.add(new Change(instance.id(), current != null && current.status() == InstanceStatus.UP, now));
		}
	}

	/**
	 * Waits until an instance became choosable, or stopped being so, skipping other changes.
	 * @param id the instance id
	 * @param up {@code true} to wait for it to become choosable, {@code false} for it to go
	 * @param timeout how long to wait at most
	 * @return when the change was delivered, in {@link System#nanoTime()} terms
	 * @throws TimeoutException if it did not happen in time
	 * @throws InterruptedException if interrupted
	 */
	long await(String id, boolean up, Duration timeout) throws TimeoutException, InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (true) {
			Change change = this.changes.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
			if (change == null) {
				throw new TimeoutException(id + (up ? " did not become visible" : " did not go") + " within " + timeout);
			}
			if (change.id().equals(id) && change.up() == up) {
				return change.at();
			}
		}
	}

	@Override
	public void close() throws Exception {
		this.subscription.close();
	}

	private record Change(String id, boolean up, long at) {
	}

}
