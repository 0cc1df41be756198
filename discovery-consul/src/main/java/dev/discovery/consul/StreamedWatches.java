package dev.discovery.consul;

import java.util.concurrent.ScheduledExecutorService;

import org.jspecify.annotations.Nullable;

/**
 * The streams of a {@link MultiplexedAgent}, offered to the {@link WatchPlacement}: each
 * watch that gets one is followed by a {@link StreamedWatch}.
 */
final class StreamedWatches implements WatchPlacement.Streams {

	private final MultiplexedAgent agent;

	private final long waitSeconds;

	private final ScheduledExecutorService retries;

	StreamedWatches(MultiplexedAgent agent, long waitSeconds, ScheduledExecutorService retries) {
		this.agent = agent;
		this.waitSeconds = waitSeconds;
		this.retries = retries;
	}

	@Override
	public void probe() {
		this.agent.probe();
	}

	@Override
	public boolean undecided() {
		return this.agent.undecided();
	}

	@Override
	public ConsulWatch.@Nullable Source open(ConsulWatch watch, int maxConnections) {
		MultiplexedAgent.Connection connection = this.agent.lease(maxConnections);
		return (connection != null) ? new StreamedWatch(watch, connection, this.waitSeconds, this.retries) : null;
	}

	@Override
	public int connections() {
		return this.agent.connections();
	}

}
