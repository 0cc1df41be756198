package dev.discovery.core;

import org.jspecify.annotations.Nullable;

/**
 * How {@link DiscoveryClient} chooses among one service's instances and handles its calls.
 * A choice runs through these steps, each computed once per snapshot or ejection change
 * rather than per pick:
 * <ol>
 * <li>the UP instances that pass the {@link #filter()};</li>
 * <li>minus those ejected by {@link #outlierDetection()}, unless fewer than
 * {@link #panicThreshold()} percent of them would remain: then all of them (panic);</li>
 * <li>only those in the caller's {@link #zone()} while at least {@link #zoneThreshold()}
 * percent of that zone's instances remain (and at least one), else every zone;</li>
 * <li>the {@link #balancer()} picks one.</li>
 * </ol>
 * Immutable, except for the balancer, which is the service's own and keeps its state.
 */
public final class BalancingPolicy {

	private final LoadBalancer balancer;

	private final InstanceFilter filter;

	private final @Nullable String zone;

	private final int zoneThreshold;

	private final OutlierDetection outlierDetection;

	private final int panicThreshold;

	private final Retries retries;

	private BalancingPolicy(Builder builder) {
		this.balancer = builder.balancer;
		this.filter = builder.filter;
		this.zone = builder.zone;
		this.zoneThreshold = builder.zoneThreshold;
		this.outlierDetection = builder.outlierDetection;
		this.panicThreshold = builder.panicThreshold;
		this.retries = builder.retries;
	}

	/**
	 * Starts a policy with the defaults: no filter, no zone, {@link OutlierDetection#DEFAULTS},
	 * a panic threshold of 50 %, a zone threshold of 50 % and {@link Retries#DEFAULTS}.
	 * @param balancer the strategy that picks among the remaining candidates, used by this
	 * service only
	 * @return a new builder
	 */
	public static Builder builder(LoadBalancer balancer) {
		return new Builder(balancer);
	}

	/**
	 * Returns the strategy that makes the final pick.
	 * @return the balancer
	 */
	public LoadBalancer balancer() {
		return this.balancer;
	}

	/**
	 * Returns the filter every candidate must pass.
	 * @return the filter
	 */
	public InstanceFilter filter() {
		return this.filter;
	}

	/**
	 * Returns the caller's zone, whose instances are preferred.
	 * @return the lower-case zone, or {@code null} for no preference
	 */
	public @Nullable String zone() {
		return this.zone;
	}

	/**
	 * Returns the share of the caller's zone's instances that must be available (not
	 * ejected) for the zone to be preferred.
	 * @return a percentage, 0-100
	 */
	public int zoneThreshold() {
		return this.zoneThreshold;
	}

	/**
	 * Returns when failing instances are ejected.
	 * @return the ejection rules
	 */
	public OutlierDetection outlierDetection() {
		return this.outlierDetection;
	}

	/**
	 * Returns the share of instances that must be available for ejections to be honoured.
	 * @return a percentage, 0-100; 0 never panics
	 */
	public int panicThreshold() {
		return this.panicThreshold;
	}

	/**
	 * Returns how failed idempotent calls are retried.
	 * @return the retry rules
	 */
	public Retries retries() {
		return this.retries;
	}

	/**
	 * Collects the settings of a {@link BalancingPolicy}; every setter checks its value.
	 * Not thread-safe.
	 */
	public static final class Builder {

		private final LoadBalancer balancer;

		private InstanceFilter filter = InstanceFilter.ANY;

		private @Nullable String zone;

		private int zoneThreshold = 50;

		private OutlierDetection outlierDetection = OutlierDetection.DEFAULTS;

		private int panicThreshold = 50;

		private Retries retries = Retries.DEFAULTS;

		private Builder(LoadBalancer balancer) {
			this.balancer = balancer;
		}

		/**
		 * Sets the filter every candidate must pass.
		 * @param filter the filter
		 * @return this builder
		 */
		public Builder filter(InstanceFilter filter) {
			this.filter = filter;
			return this;
		}

		/**
		 * Sets the caller's zone and how many of its instances must be available for it to
		 * be preferred.
		 * @param zone the zone, or {@code null} for no preference
		 * @param threshold a percentage, 0-100
		 * @return this builder
		 * @throws IllegalArgumentException if the zone or the threshold is invalid
		 */
		public Builder zone(@Nullable String zone, int threshold) {
			this.zone = Validation.zone(zone);
			this.zoneThreshold = Validation.between("zone threshold", threshold, 0, 100);
			return this;
		}

		/**
		 * Sets when failing instances are ejected.
		 * @param outlierDetection the ejection rules
		 * @return this builder
		 */
		public Builder outlierDetection(OutlierDetection outlierDetection) {
			this.outlierDetection = outlierDetection;
			return this;
		}

		/**
		 * Sets the share of instances that must be available for ejections to be honoured.
		 * @param percent a percentage, 0-100; 0 never panics
		 * @return this builder
		 * @throws IllegalArgumentException if the percentage is outside 0-100
		 */
		public Builder panicThreshold(int percent) {
			this.panicThreshold = Validation.between("panic threshold", percent, 0, 100);
			return this;
		}

		/**
		 * Sets how failed idempotent calls are retried.
		 * @param retries the retry rules
		 * @return this builder
		 */
		public Builder retries(Retries retries) {
			this.retries = retries;
			return this;
		}

		/**
		 * Creates the policy.
		 * @return the policy
		 */
		public BalancingPolicy build() {
			return new BalancingPolicy(this);
		}

	}

}
