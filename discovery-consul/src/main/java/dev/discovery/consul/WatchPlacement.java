package dev.discovery.consul;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongSupplier;

import org.jspecify.annotations.Nullable;

/**
 * Decides which watches hold a blocking query of their own, within the connections the
 * blocking queries may open, which slots and streams share. Where the agent multiplexes
 * (https, see {@link MultiplexedAgent}), a watch gets a blocking query on a shared connection,
 * a stream, while one is free; once the agent is first found to multiplex, every watch
 * without a stream moves to one; until that is known, new watches go to the
 * {@link ChangeDetector}, so that no connection is opened for a watch that is about to move.
 * If the agent stops multiplexing, the watches on streams move to slots and the detector.
 * Otherwise, a new watch gets a connection of its own, a slot, while one is free; every
 * other one is followed by the {@link ChangeDetector}. When the detector sees a change of a
 * service it follows, that watch takes a free stream, or a slot: a free one, or the one of
 * the watch whose service changed least recently, if that was at least {@code minIdle} ago,
 * which then goes to the detector. So the services being deployed or failing now see their
 * next changes within one round trip, and a slot changes hands at most once per
 * {@code minIdle}. Thread-safe.
 */
final class WatchPlacement implements AutoCloseable {

	private final int queryConnections;

	private final Streams streams;

	private final long minIdleNanos;

	private final LongSupplier clock;

	private final Function<ConsulWatch, ServiceWatch> blockingQuery;

	private final Function<ConsulWatch, DetectedWatch> detected;

	private final ChangeDetector detector;

	private final Set<ConsulWatch> watches = ConcurrentHashMap.newKeySet();

	private final Set<ConsulWatch> withBlockingQuery = new HashSet<>();

	private final Set<ConsulWatch> withStream = new HashSet<>();

	/**
	 * Creates the placement.
	 * @param queryConnections how many connections the slots and the streams may open
	 * together
	 * @param streams blocking queries on shared connections, or {@link Streams#NONE}
	 * @param minIdleNanos how long a watch's service must have been unchanged before its slot
	 * may go to another watch
	 * @param clock the time in nanoseconds, the same as the watches'
	 * @param blockingQuery opens a blocking query for a watch, not started
	 * @param detected creates a detector-followed source for a watch, not started, that
	 * leaves the detector when closed
	 * @param detector the detector those sources are added to
	 */
	WatchPlacement(int queryConnections, Streams streams, long minIdleNanos, LongSupplier clock,
			Function<ConsulWatch, ServiceWatch> blockingQuery, Function<ConsulWatch, DetectedWatch> detected,
			ChangeDetector detector) {
		this.queryConnections = queryConnections;
		this.streams = streams;
		this.minIdleNanos = minIdleNanos;
		this.clock = clock;
		this.blockingQuery = blockingQuery;
		this.detected = detected;
		this.detector = detector;
	}

	/**
	 * Starts following a new watch.
	 * @param watch the watch
	 */
	synchronized void add(ConsulWatch watch) {
		this.watches.add(watch);
		this.streams.probe();
		if (giveStream(watch)) {
			return;
		}
		if (!this.streams.undecided() && slotFree()) {
			giveBlockingQuery(watch);
		}
		else {
			giveToDetector(watch);
		}
	}

	/**
	 * Stops following a watch and closes it; its slot stays free for the next change the
	 * detector sees.
	 * @param watch the watch
	 */
	synchronized void remove(ConsulWatch watch) {
		if (this.watches.remove(watch)) {
			this.withBlockingQuery.remove(watch);
			this.withStream.remove(watch);
			watch.close();
		}
	}

	/**
	 * Handles a change the detector saw: the watch takes a slot if one can be had, which reads
	 * the service at once; otherwise the detector-followed source reads it.
	 * @param source the detector-followed source whose service changed
	 */
	void changed(DetectedWatch source) {
		ConsulWatch watch = source.owner();
		synchronized (this) {
			if (!watch.follows(source)) {
				return;
			}
			if (giveStream(watch)) {
				return;
			}
			if (!this.streams.undecided() && (slotFree() || freeIdlestSlot())) {
				giveBlockingQuery(watch);
				return;
			}
		}
		source.refresh();
	}

	/**
	 * Moves every watch without a stream to one, as long as streams are free: called once the
	 * agent is found to multiplex.
	 */
	synchronized void streamsReady() {
		for (ConsulWatch watch : List.copyOf(this.watches)) {
			if (!this.withStream.contains(watch) && !giveStream(watch)) {
				return;
			}
		}
	}

	/**
	 * Moves every watch on a stream to a free slot, or to the detector: called once the agent,
	 * which multiplexed, no longer does.
	 */
	synchronized void streamsLost() {
		for (ConsulWatch watch : List.copyOf(this.withStream)) {
			this.withStream.remove(watch);
			if (slotFree()) {
				giveBlockingQuery(watch);
			}
			else {
				giveToDetector(watch);
			}
		}
	}

	/** Checks again whether the agent multiplexes, if that is not known and a watch needs it. */
	synchronized void probeStreams() {
		if (!this.watches.isEmpty()) {
			this.streams.probe();
		}
	}

	/** How many watches are followed. */
	int size() {
		return this.watches.size();
	}

	/** How many watches hold a blocking query of their own, on a slot or a stream. */
	synchronized int blockingQueries() {
		return this.withBlockingQuery.size() + this.withStream.size();
	}

	/** Closes every watch and the detector. */
	@Override
	public synchronized void close() {
		this.detector.close();
		this.watches.forEach(ConsulWatch::close);
		this.watches.clear();
		this.withBlockingQuery.clear();
		this.withStream.clear();
	}

	private boolean slotFree() {
		return this.withBlockingQuery.size() + this.streams.connections() < this.queryConnections;
	}

	private boolean freeIdlestSlot() {
		@Nullable ConsulWatch idlest = null;
		for (ConsulWatch candidate : this.withBlockingQuery) {
			if (idlest == null || candidate.lastChange() - idlest.lastChange() < 0) {
				idlest = candidate;
			}
		}
		if (idlest == null || this.clock.getAsLong() - idlest.lastChange() < this.minIdleNanos) {
			return false;
		}
		this.withBlockingQuery.remove(idlest);
		giveToDetector(idlest);
		return true;
	}

	private boolean giveStream(ConsulWatch watch) {
		ConsulWatch.Source source = this.streams.open(watch, this.queryConnections - this.withBlockingQuery.size());
		if (source == null) {
			return false;
		}
		this.withBlockingQuery.remove(watch);
		watch.follow(source);
		this.withStream.add(watch);
		source.start();
		return true;
	}

	private void giveBlockingQuery(ConsulWatch watch) {
		ServiceWatch source = this.blockingQuery.apply(watch);
		watch.follow(source);
		this.withBlockingQuery.add(watch);
		source.start();
	}

	private void giveToDetector(ConsulWatch watch) {
		DetectedWatch source = this.detected.apply(watch);
		watch.follow(source);
		this.detector.add(source);
		source.start();
	}

	/** Blocking queries that share connections, as streams. */
	interface Streams {

		/** No shared connections: every blocking query holds a connection of its own. */
		Streams NONE = new Streams() {

			@Override
			public void probe() {
			}

			@Override
			public boolean undecided() {
				return false;
			}

			@Override
			public ConsulWatch.@Nullable Source open(ConsulWatch watch, int maxConnections) {
				return null;
			}

			@Override
			public int connections() {
				return 0;
			}

		};

		/** Checks, without blocking, whether streams can be had, unless that is known. */
		void probe();

		/** Whether it is not known yet if streams can be had. */
		boolean undecided();

		/**
		 * Opens a source on a stream for the watch, not started, if a stream is free.
		 * @param watch the watch
		 * @param maxConnections how many connections the streams may use at most
		 * @return the source, or null when no stream can be had
		 */
		ConsulWatch.@Nullable Source open(ConsulWatch watch, int maxConnections);

		/**
		 * How many connections the streams may hold open; they count against the
		 * connections for blocking queries.
		 */
		int connections();

	}

}
