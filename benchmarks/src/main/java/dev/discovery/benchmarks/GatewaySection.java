package dev.discovery.benchmarks;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import dev.discovery.benchmarks.ChooseBenchmark.Subject;
import dev.discovery.benchmarks.gateway.GatewaySample;
import dev.discovery.core.DiscoveryBackend;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * A Spring Cloud Gateway request through our bridge against one through Spring Cloud's
 * defaults, in one run: two {@link GatewaySample} JVMs on the run's etcd route
 * {@code lb://greeting-service} to {@link Upstream}s registered there, one with the bridge's
 * supplier and balancer (the defaults) and one with
 * {@code discovery.spring-cloud.load-balancer.enabled=false}, so Spring Cloud's caching
 * supplier (35 s) over our Spring Cloud discovery client and its round-robin choose. Per
 * request: latency and allocation in the gateway, taken in rounds that alternate between
 * the gateways so that the machine's noise falls on both alike, and the JMH cost of the
 * choice behind it ({@link Subject#BRIDGE} and {@link Subject#SCLB_DEFAULT}). Then the
 * time until a new instance gets traffic: a new upstream is registered while both gateways
 * carry steady traffic, timed from the registration call returning until the first request
 * through each gateway reaches it.
 */
final class GatewaySection {

	private static final String OURS = "ours";

	private static final String SPRING_CLOUD = "spring-cloud";

	private static final Duration TTL = Duration.ofSeconds(10);

	private static final int UPSTREAMS = 2;

	private final Servers servers;

	private final Plan plan;

	/**
	 * Creates the section.
	 * @param servers the run's servers
	 * @param plan how long to measure
	 */
	GatewaySection(Servers servers, Plan plan) {
		this.servers = servers;
		this.plan = plan;
	}

	/**
	 * Measures and adds the tables to the report.
	 * @param report the report
	 * @throws Exception if a gateway, etcd or JMH failed
	 */
	void run(Report report) throws Exception {
		Map<ChooseSection.Key, ChooseSection.Figure> choices = ChooseSection.measure(this.plan.choose(), 1,
				Subject.BRIDGE, Subject.SCLB_DEFAULT);
		List<Upstream> upstreams = new ArrayList<>();
		try (DiscoveryBackend backend = this.servers.etcdBackend(TTL);
				GatewayProcess ours = new GatewayProcess(OURS, this.servers.etcdEndpoint(), List.of());
				GatewayProcess springCloud = new GatewayProcess(SPRING_CLOUD, this.servers.etcdEndpoint(),
						List.of("--discovery.spring-cloud.load-balancer.enabled=false"))) {
			for (int i = 0; i < UPSTREAMS; i++) {
				upstreams.add(new Upstream("u" + i));
				backend.register(upstreams.get(i).instance());
			}
			report.add(perRequestTable(perRequest(List.of(ours, springCloud)), choices));
			report.add(timeToTrafficTable(timeToTraffic(backend, ours, springCloud, upstreams)));
		}
		finally {
			upstreams.forEach(Upstream::close);
		}
	}

	private PerRequest perRequest(List<GatewayProcess> gateways) throws IOException, InterruptedException {
		for (GatewayProcess gateway : gateways) {
			for (int i = 0; i < this.plan.warmUpRequests(); i++) {
				gateway.send();
			}
		}
		List<Samples> latencies = List.of(new Samples(), new Samples());
		List<List<Double>> allocations = List.of(new ArrayList<>(), new ArrayList<>());
		for (int round = 0; round < this.plan.rounds(); round++) {
			for (int turn = 0; turn < gateways.size(); turn++) {
				int index = (round + turn) % gateways.size();
				GatewayProcess gateway = gateways.get(index);
				long allocatedBefore = gateway.allocatedBytes();
				for (int i = 0; i < this.plan.requestsPerRound(); i++) {
					long started = System.nanoTime();
					gateway.send();
					latencies.get(index).add(System.nanoTime() - started);
				}
				allocations.get(index)
					.add((double) (gateway.allocatedBytes() - allocatedBefore) / this.plan.requestsPerRound());
			}
		}
		return new PerRequest(latencies.get(0), latencies.get(1), allocations.get(0), allocations.get(1));
	}

	private List<Trial> timeToTraffic(DiscoveryBackend backend, GatewayProcess ours, GatewayProcess springCloud,
			List<Upstream> upstreams) throws Exception {
		List<Trial> trials = new ArrayList<>();
		try (SteadyTraffic oursTraffic = new SteadyTraffic(ours, this.plan.interval());
				SteadyTraffic springCloudTraffic = new SteadyTraffic(springCloud, this.plan.interval())) {
			for (int trial = 0; trial < this.plan.trials(); trial++) {
				Upstream added = new Upstream("new" + trial);
				upstreams.add(added);
				backend.register(added.instance());
				long registered = System.nanoTime();
				CompletableFuture<Long> oursFirst = added.firstRequestNanos(OURS);
				CompletableFuture<Long> springCloudFirst = added.firstRequestNanos(SPRING_CLOUD);
				try {
					CompletableFuture.allOf(oursFirst, springCloudFirst)
						.get(this.plan.cap().toNanos(), TimeUnit.NANOSECONDS);
				}
				catch (TimeoutException ex) {
					// The gateway that got none by the cap is reported as NaN.
				}
				trials.add(new Trial(upstreams.size(), millisSince(registered, oursFirst.getNow(null)),
						millisSince(registered, springCloudFirst.getNow(null)), oursTraffic.errors(),
						springCloudTraffic.errors()));
			}
		}
		return trials;
	}

	private Report.Table perRequestTable(PerRequest measured, Map<ChooseSection.Key, ChooseSection.Figure> choices) {
		int n = this.plan.choose().instanceCounts()[0];
		ChooseSection.Figure bridge = choices.get(new ChooseSection.Key(Subject.BRIDGE, n, 1));
		ChooseSection.Figure springCloud = choices.get(new ChooseSection.Key(Subject.SCLB_DEFAULT, n, 1));
		List<List<Object>> rows = List.of(
				row("latency p50, ms", measured.ours().medianMillis(), measured.springCloud().medianMillis()),
				row("latency p99, ms", measured.ours().p99Millis(), measured.springCloud().p99Millis()),
				row("latency max, ms", measured.ours().maxMillis(), measured.springCloud().maxMillis()),
				row("allocated in the gateway per request, bytes (median of rounds)",
						RoundFigures.median(measured.oursBytes()), RoundFigures.median(measured.springCloudBytes())),
				row("allocated per request, bytes (min–max of rounds)", RoundFigures.range(measured.oursBytes()),
						RoundFigures.range(measured.springCloudBytes())),
				row("JMH: the choice, ns/op (N = " + n + ")", bridge.nanos(), springCloud.nanos()),
				row("JMH: the choice, B/op (N = " + n + ")", bridge.bytes(), springCloud.bytes()));
		return new Report.Table("Gateway: per request", String.format(Locale.ROOT, "Two Spring Cloud Gateway "
				+ "(server-webflux) JVMs (-Xms512m -Xmx512m, actuator on the class path) on etcd route `GET %s` to "
				+ "`lb://%s`, %d tiny upstreams (JDK HttpServer in the measuring JVM). Ours: the bridge's defaults "
				+ "(WatchedInstanceListSupplier, BalancingPolicyLoadBalancer, round-robin). Spring Cloud: "
				+ "`discovery.spring-cloud.load-balancer.enabled=false`, so its caching supplier (35 s, the default "
				+ "cache manager) over our Spring Cloud discovery client and RoundRobinLoadBalancer. One client "
				+ "thread (JDK HttpClient, HTTP/1.1, kept alive), sequential requests: %,d to warm each gateway, "
				+ "then %d rounds of %,d per gateway, alternating which goes first. Latency as the client sees it "
				+ "(the client and the upstreams share the 2 cores). Allocation: the gateway's "
				+ "ThreadMXBean#getThreadAllocatedBytes summed over its live threads before and after each round, "
				+ "÷ requests (threads that end within a round are missed; so is the background of etcd's watch, "
				+ "counted in). JMH (%s, `-prof gc`): ChooseBenchmark's bridge (choose(request).block() + "
				+ "CallOutcomeLifecycle.onComplete) and sclb-default (RoundRobinLoadBalancer over the caching "
				+ "supplier over DiscoveryClientServiceInstanceListSupplier over our ReactiveDiscoveryClient), "
				+ "in-memory registry. The machine has 2 shared cores: read the ratios, not the absolute figures.",
				GatewaySample.PATH, GatewaySample.SERVICE, UPSTREAMS, this.plan.warmUpRequests(), this.plan.rounds(),
				this.plan.requestsPerRound(), this.plan.choose().describe()),
				List.of("measure", "ours", "Spring Cloud defaults", "ours ÷ Spring Cloud"), rows);
	}

	private Report.Table timeToTrafficTable(List<Trial> trials) {
		List<List<Object>> rows = new ArrayList<>();
		for (int i = 0; i < trials.size(); i++) {
			Trial trial = trials.get(i);
			rows.add(List.of(i + 1, trial.instances(), trial.oursMillis(), trial.springCloudMillis(),
					trial.springCloudMillis() / trial.oursMillis(), trial.oursErrors(), trial.springCloudErrors()));
		}
		double oursWorst = worst(trials.stream().mapToDouble(Trial::oursMillis).toArray());
		double springCloudWorst = worst(trials.stream().mapToDouble(Trial::springCloudMillis).toArray());
		rows.add(List.of("worst", "", oursWorst, springCloudWorst, springCloudWorst / oursWorst, "", ""));
		return new Report.Table("Gateway: time until a new instance gets traffic", String.format(Locale.ROOT,
				"Both gateways carry steady traffic (a request every %d ms each, one client thread each); a new "
				+ "upstream is registered on etcd (a lease of %d s) and timed from the registration call returning "
				+ "until the first request through each gateway reaches it, %d times, one new upstream each time "
				+ "(they stay registered). – = none within %d s. Round-robin reaches the new instance within one "
				+ "turn over the instances, so a figure includes up to instances × %d ms of waiting for the "
				+ "request that goes there. Spring Cloud's figure depends on when its 35 s cache last filled.",
				this.plan.interval().toMillis(), TTL.toSeconds(), this.plan.trials(), this.plan.cap().toSeconds(),
				this.plan.interval().toMillis()),
				List.of("trial", "instances", "ours ms", "Spring Cloud defaults ms", "Spring Cloud ÷ ours",
						"failed requests, ours (so far)", "failed requests, Spring Cloud (so far)"),
				rows);
	}

	private static List<Object> row(String measure, Object ours, Object springCloud) {
		return List.of(measure, ours, springCloud, (ours instanceof Double a && springCloud instanceof Double b)
				? (Object) (a / b) : "");
	}

	/** The largest figure, or NaN (not reached within the cap) when any is NaN. */
	private static double worst(double[] millis) {
		return Arrays.stream(millis).anyMatch(Double::isNaN) ? Double.NaN
				: Arrays.stream(millis).max().orElse(Double.NaN);
	}

	private static double millisSince(long started, @Nullable Long nanos) {
		return (nanos != null) ? (nanos - started) / 1e6 : Double.NaN;
	}

	/**
	 * How long to measure.
	 * @param warmUpRequests requests through each gateway before measuring
	 * @param rounds measured rounds
	 * @param requestsPerRound requests through each gateway in a round
	 * @param trials new instances timed until they get traffic
	 * @param interval the pace of the steady traffic
	 * @param cap how long to wait for a new instance's first request
	 * @param choose the JMH run of the choice; its first instance count is the one reported
	 */
	record Plan(int warmUpRequests, int rounds, int requestsPerRound, int trials, Duration interval, Duration cap,
			ChooseSection.Plan choose) {

		/** The full run: 5,000 warm-up requests, 10 rounds of 1,500, 3 new instances, a request every 5 ms, 40 s. */
		static Plan full() {
			return new Plan(5_000, 10, 1_500, 3, Duration.ofMillis(5), Duration.ofSeconds(40),
					new ChooseSection.Plan(new int[] { UPSTREAMS }, new int[] { 1 }, 1, 2, 5,
							TimeValue.milliseconds(500)));
		}

	}

	/** The per-request figures: latencies, and the bytes per request of each round. */
	private record PerRequest(Samples ours, Samples springCloud, List<Double> oursBytes,
			List<Double> springCloudBytes) {
	}

	/** One new instance: how many there were with it, its times to traffic (NaN: none within the cap), the failed requests so far. */
	private record Trial(int instances, double oursMillis, double springCloudMillis, int oursErrors,
			int springCloudErrors) {
	}

	/**
	 * Requests through one gateway at a steady pace on a thread of its own, until closed;
	 * failed requests are counted and do not stop it.
	 */
	private static final class SteadyTraffic implements AutoCloseable {

		private final ScheduledExecutorService executor;

		private final AtomicInteger errors = new AtomicInteger();

		SteadyTraffic(GatewayProcess gateway, Duration interval) {
			this.executor = Executors.newSingleThreadScheduledExecutor();
			this.executor.scheduleAtFixedRate(() -> {
				try {
					gateway.send();
				}
				catch (IOException ex) {
					this.errors.incrementAndGet();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}, 0, interval.toNanos(), TimeUnit.NANOSECONDS);
		}

		int errors() {
			return this.errors.get();
		}

		@Override
		public void close() throws InterruptedException {
			this.executor.shutdownNow();
			this.executor.awaitTermination(10, TimeUnit.SECONDS);
		}

	}

}
