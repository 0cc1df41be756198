package dev.discovery.consul;

/**
 * How a backend spends the agent connections it may open: a few for ordinary calls and the
 * reads that follow a detected change, one for the {@link ChangeDetector}'s blocking query,
 * and the rest for services that get a blocking query of their own.
 *
 * @param maxConnections the most connections the backend opens to its agent at once
 */
record ConnectionBudget(int maxConnections) {

	/** The fewest connections a backend can work with: one of each kind. */
	static final int MIN_CONNECTIONS = 3;

	private static final int MAX_SHARED = 4;

	/** The pool of ordinary calls and of reads after a detected change. */
	int shared() {
		return Math.min(MAX_SHARED, (this.maxConnections - 1) / 2);
	}

	/** How many services may hold a blocking query on a connection of their own. */
	int blockingQueries() {
		return this.maxConnections - 1 - shared();
	}

}
