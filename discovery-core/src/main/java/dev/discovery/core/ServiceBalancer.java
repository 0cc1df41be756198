package dev.discovery.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

/**
 * Chooses among one service's UP instances as its {@link BalancingPolicy} says, and keeps
 * the {@link InstanceStats} its {@link ServiceCall}s report. The candidates are computed
 * once per epoch and then reused, so a pick takes no lock and allocates nothing beyond what
 * the strategy does, and {@link #choose} returns an {@link Optional} made once per
 * candidate; working them out again and ejecting happen under this object's monitor.
 * <p>
 * The epoch counts what makes the candidates change: a new list of UP instances, as
 * {@link #instancesChanged()} reports, and an ejection. A pick only compares the epoch its
 * candidates were computed at with the current one, rather than asking the supplier for
 * the list, so that {@link #choose} reads the state of this object and of its strategy and
 * nothing else. The epoch is read before the list, so candidates computed from a list that
 * was just replaced carry an older epoch and are computed again on the next pick.
 */
final class ServiceBalancer {

	private static final int TIMED_ONE_IN = 8;

	private static final VarHandle EPOCH;

	static {
		try {
			EPOCH = MethodHandles.lookup().findVarHandle(ServiceBalancer.class, "epoch", int.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	private final BalancingPolicy policy;

	private final Supplier<List<ServiceInstance>> upInstances;

	private final LongSupplier clock;

	private final CallClock callClock;

	private final boolean timesCalls;

	/** By instance id; made on the first plan, as a followed service may never be picked from. */
	private @Nullable Map<String, InstanceStats> stats;

	private volatile int epoch;

	private volatile @Nullable Plan plan;

	private volatile @Nullable Choices choices;

	/**
	 * Creates the balancer of one service.
	 * @param policy how to choose
	 * @param upInstances supplies the current UP instances; it is read on the first pick and
	 * again only after {@link #instancesChanged()}, and an unchanged list is the same object
	 * @param clock the time source, in nanoseconds, for latencies and ejection times
	 */
	ServiceBalancer(BalancingPolicy policy, Supplier<List<ServiceInstance>> upInstances, LongSupplier clock) {
		this.policy = policy;
		this.upInstances = upInstances;
		this.clock = clock;
		this.callClock = new CallClock(clock);
		this.timesCalls = policy.balancer() instanceof TrackingLoadBalancer tracking && tracking.readsLatency();
	}

	Optional<ServiceInstance> choose(@Nullable String key) {
		Choices current = this.choices;
		if (current == null || !current.settled || current.epoch != this.epoch) {
			current = choicesOf(plan());
		}
		return current.choose(key);
	}

	/**
	 * Tells this balancer that the supplier of UP instances supplies another list now; until
	 * then it keeps choosing among the list it read last. Takes no lock, so that a caller may
	 * hold its own while the balancer, holding this one, reads the supplier.
	 */
	void instancesChanged() {
		EPOCH.getAndAdd(this, 1);
	}

	@Nullable ServiceCall start(@Nullable String key) {
		Plan current = plan();
		TrackedCandidates candidates = current.candidates();
		if (candidates.isEmpty()) {
			return null;
		}
		LoadBalancer strategy = this.policy.balancer();
		if (strategy instanceof IndexedLoadBalancer indexed) {
			int index = indexed.chooseIndex(candidates, key);
			return (index >= 0) ? start(candidates.target(index), key, null) : null;
		}
		ServiceInstance chosen = strategy.choose(candidates, key);
		return (chosen != null) ? start(current.targetOf(chosen), key, null) : null;
	}

	@Nullable ServiceCall retry(ServiceCall previous) {
		Plan current = plan();
		ServiceInstance next = untried(current.candidates(), previous);
		if (next == null && current.fallback() != current.candidates()) {
			next = untried(current.fallback(), previous);
		}
		return (next != null) ? start(current.targetOf(next), previous.key(), previous) : null;
	}

	/**
	 * Records a successful call, with its latency when the strategy reads latencies.
	 * @param stats the stats of the call's instance
	 * @param call the call
	 */
	void succeeded(InstanceStats stats, ServiceCall call) {
		if (call.timed()) {
			long now = this.callClock.read();
			stats.succeeded(call.elapsed(now), now);
		}
		else {
			stats.succeeded();
		}
	}

	void failed(InstanceStats failed) {
		OutlierDetection detection = this.policy.outlierDetection();
		if (detection.enabled() && failed.failed() >= detection.consecutiveFailures()) {
			eject(failed, detection);
		}
	}

	Retries retries() {
		return this.policy.retries();
	}

	/**
	 * Starts an attempt; only one with a key or a previous attempt needs a target of its own.
	 * When the strategy reads latencies, the attempt is timed if it is the first to an
	 * instance not measured yet or one in {@link #TIMED_ONE_IN} of the calls to its instance:
	 * each timing reads the clock twice, which costs more than the rest of a call.
	 */
	private ServiceCall start(CallTarget shared, @Nullable String key, @Nullable ServiceCall previous) {
		CallTarget target = (key == null && previous == null) ? shared : new ChainedTarget(shared, key, previous);
		InstanceStats stats = target.stats;
		int ordinal = stats.started();
		boolean timed = this.timesCalls && (ordinal % TIMED_ONE_IN == 0 || !stats.measured());
		return new ServiceCall(target, timed, timed ? this.callClock.read() : 0);
	}

	private @Nullable ServiceInstance untried(List<ServiceInstance> candidates, ServiceCall previous) {
		int tries = Math.min(candidates.size(), 8);
		for (int i = 0; i < tries; i++) {
			ServiceInstance candidate = this.policy.balancer().choose(candidates, previous.key());
			if (candidate != null && !previous.tried(candidate)) {
				return candidate;
			}
		}
		for (ServiceInstance candidate : candidates) {
			if (!previous.tried(candidate)) {
				return candidate;
			}
		}
		return null;
	}

	private synchronized void eject(InstanceStats failed, OutlierDetection detection) {
		long now = this.clock.getAsLong();
		Plan current = this.plan;
		if (current == null || failed.isEjected(now)) {
			return;
		}
		int ejected = 0;
		for (InstanceStats instance : current.filtered()) {
			if (instance.isEjected(now)) {
				ejected++;
			}
		}
		if (ejected < detection.maxEjected(current.filtered().length)) {
			failed.eject(now, detection);
			EPOCH.getAndAdd(this, 1);
		}
	}

	private Choices choicesOf(Plan current) {
		Choices made = this.choices;
		if (made == null || made.plan != current) {
			made = new Choices(current, this.policy.balancer());
			this.choices = made;
		}
		return made;
	}

	private Plan plan() {
		Plan current = this.plan;
		if (current == null || current.epoch() != this.epoch
				|| (current.returns() && current.returnsBy(this.clock.getAsLong()))) {
			current = replan();
		}
		return current;
	}

	private synchronized Plan replan() {
		long now = this.clock.getAsLong();
		int epochNow = this.epoch;
		Plan current = this.plan;
		if (current != null && current.epoch() == epochNow && !current.returnsBy(now)) {
			return current;
		}
		List<ServiceInstance> up = this.upInstances.get();
		Map<String, InstanceStats> known = this.stats;
		if (known == null) {
			known = new HashMap<>();
			this.stats = known;
		}
		else if (current == null || current.up() != up) {
			known.keySet().retainAll(up.stream().map(ServiceInstance::id).collect(Collectors.toSet()));
		}
		current = Plan.of(this, up, known, epochNow, now);
		this.plan = current;
		return current;
	}

	/**
	 * The candidates of one snapshot at one ejection epoch: who the strategy picks from
	 * ({@code candidates}), who a retry may turn to when those are all tried
	 * ({@code fallback}), and the stats and call target of every filtered UP instance.
	 */
	private record Plan(List<ServiceInstance> up, int epoch, TrackedCandidates candidates,
			TrackedCandidates fallback, InstanceStats[] filtered, Map<ServiceInstance, CallTarget> targets,
			boolean returns, long nextReturn) {

		static Plan of(ServiceBalancer balancer, List<ServiceInstance> up, Map<String, InstanceStats> known,
				int epoch, long now) {
			BalancingPolicy policy = balancer.policy;
			List<ServiceInstance> filtered = new ArrayList<>();
			List<ServiceInstance> available = new ArrayList<>();
			Map<ServiceInstance, CallTarget> targets = new IdentityHashMap<>();
			boolean returns = false;
			long nextReturn = 0;
			for (ServiceInstance instance : up) {
				if (!policy.filter().matches(instance)) {
					continue;
				}
				InstanceStats instanceStats = known.computeIfAbsent(instance.id(), (id) -> new InstanceStats());
				filtered.add(instance);
				targets.put(instance, new CallTarget(balancer, instance, instanceStats));
				if (!instanceStats.isEjected(now)) {
					available.add(instance);
				}
				else if (!returns || instanceStats.ejectedUntil() - nextReturn < 0) {
					returns = true;
					nextReturn = instanceStats.ejectedUntil();
				}
			}
			boolean panic = (long) available.size() * 100 < (long) policy.panicThreshold() * filtered.size();
			List<ServiceInstance> pool = panic ? filtered : available;
			List<ServiceInstance> local = inZone(pool, policy.zone());
			List<ServiceInstance> candidates = pool;
			if (!local.isEmpty() && (long) local.size() * 100 >= (long) policy.zoneThreshold()
					* inZone(filtered, policy.zone()).size()) {
				candidates = local;
			}
			TrackedCandidates fallback = track(pool, targets, balancer.callClock);
			TrackedCandidates chosen = (candidates == pool) ? fallback : track(candidates, targets, balancer.callClock);
			InstanceStats[] filteredStats = filtered.stream()
				.map((instance) -> targets.get(instance).stats)
				.toArray(InstanceStats[]::new);
			return new Plan(up, epoch, chosen, fallback, filteredStats, targets, returns, nextReturn);
		}

		/**
		 * Tells whether an ejected instance is due back at the given time, which calls for a
		 * new plan.
		 */
		boolean returnsBy(long now) {
			return this.returns && now - this.nextReturn >= 0;
		}

		CallTarget targetOf(ServiceInstance instance) {
			CallTarget found = this.targets.get(instance);
			if (found == null) {
				throw new IllegalStateException("instance " + instance.id() + " is not a candidate");
			}
			return found;
		}

		private static List<ServiceInstance> inZone(List<ServiceInstance> instances, @Nullable String zone) {
			if (zone == null) {
				return List.of();
			}
			return instances.stream().filter((instance) -> zone.equals(instance.zone())).toList();
		}

		private static TrackedCandidates track(List<ServiceInstance> instances, Map<ServiceInstance, CallTarget> targets,
				CallClock clock) {
			return new TrackedCandidates(instances.stream().map(targets::get).toArray(CallTarget[]::new), clock);
		}

	}

	/**
	 * The choices {@link #choose} returns for one plan's candidates: for an
	 * {@link IndexedLoadBalancer} by position, each made on its first pick; for another
	 * strategy by instance, all made up front. It also carries what {@link #choose} checks
	 * to know it is current, so that a pick reads no other state of the balancer: the
	 * plan's epoch, and whether the plan is settled, that is, has no ejected instance due
	 * back, which only the clock could tell.
	 */
	private static final class Choices {

		final Plan plan;

		final int epoch;

		final boolean settled;

		private final LoadBalancer strategy;

		private final @Nullable IndexedLoadBalancer indexed;

		private final List<ServiceInstance> candidates;

		/** The round-robin counter, for a round-robin strategy; see {@link #choose}. */
		private final long @Nullable [] rotation;

		private final Optional<ServiceInstance>[] byIndex;

		private final Map<ServiceInstance, Optional<ServiceInstance>> byInstance;

		@SuppressWarnings("unchecked")
		Choices(Plan plan, LoadBalancer strategy) {
			this.plan = plan;
			this.epoch = plan.epoch();
			this.settled = !plan.returns();
			this.strategy = strategy;
			this.indexed = (strategy instanceof IndexedLoadBalancer indexedStrategy) ? indexedStrategy : null;
			this.candidates = plan.candidates();
			this.rotation = (strategy instanceof RoundRobinLoadBalancer roundRobin) ? roundRobin.counter() : null;
			this.byIndex = new Optional[(this.indexed != null) ? this.candidates.size() : 0];
			this.byInstance = (this.indexed != null) ? Map.of() : new IdentityHashMap<>();
			if (this.indexed == null) {
				for (ServiceInstance candidate : this.candidates) {
					this.byInstance.put(candidate, Optional.of(candidate));
				}
			}
		}

		/**
		 * Picks a choice. Round-robin, the default strategy, is counted here on its counter
		 * rather than through the strategy, with everything the pick reads loaded before the
		 * counter's atomic add: the add orders every later load after it, so each load moved
		 * ahead of it leaves the pick's chain of dependent steps.
		 */
		Optional<ServiceInstance> choose(@Nullable String key) {
			long[] counter = this.rotation;
			if (counter != null) {
				Optional<ServiceInstance>[] prepared = this.byIndex;
				int size = prepared.length;
				return (size > 0) ? at(prepared, CountingLoadBalancer.rotate(counter, size)) : Optional.empty();
			}
			IndexedLoadBalancer indexedStrategy = this.indexed;
			if (indexedStrategy != null) {
				int index = indexedStrategy.chooseIndex(this.candidates, key);
				return (index >= 0) ? at(this.byIndex, index) : Optional.empty();
			}
			ServiceInstance chosen = this.strategy.choose(this.candidates, key);
			if (chosen == null) {
				return Optional.empty();
			}
			Optional<ServiceInstance> prepared = this.byInstance.get(chosen);
			return (prepared != null) ? prepared : Optional.of(chosen);
		}

		private Optional<ServiceInstance> at(Optional<ServiceInstance>[] byIndex, int index) {
			Optional<ServiceInstance> prepared = byIndex[index];
			if (prepared == null) {
				prepared = Optional.of(this.candidates.get(index));
				byIndex[index] = prepared;
			}
			return prepared;
		}

	}

}
