package dev.discovery.core;

import org.jspecify.annotations.Nullable;

/**
 * The {@link CallTarget} of one call that has a request key or follows a previous attempt,
 * which it keeps so that retries keep the key and skip every instance tried already.
 */
final class ChainedTarget extends CallTarget {

	private final @Nullable String key;

	private final @Nullable ServiceCall previous;

	private final int attempt;

	/**
	 * Creates the target of one attempt.
	 * @param shared the plan's target of the chosen instance
	 * @param key the request key, or {@code null}
	 * @param previous the attempt before, or {@code null} for a first attempt
	 */
	ChainedTarget(CallTarget shared, @Nullable String key, @Nullable ServiceCall previous) {
		super(shared.balancer, shared.instance, shared.stats);
		this.key = key;
		this.previous = previous;
		this.attempt = (previous != null) ? previous.attempt() + 1 : 0;
	}

	@Override
	@Nullable String key() {
		return this.key;
	}

	@Override
	@Nullable ServiceCall previous() {
		return this.previous;
	}

	@Override
	int attempt() {
		return this.attempt;
	}

}
