package dev.discovery.benchmarks;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.discovery.benchmarks.ChooseBenchmark.Subject;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;
import org.openjdk.jmh.util.Statistics;

/**
 * Runs {@link ChooseBenchmark} for every subject, instance count and thread count, and
 * judges the choose() targets against the naive bar and Spring Cloud LoadBalancer.
 */
final class ChooseSection {

	private static final String ALLOCATION = "gc.alloc.rate.norm";

	/** Below this many bytes per operation, a figure is allocation-free (JMH's own noise). */
	private static final double NO_ALLOCATION = 0.5;

	private final Plan plan;

	ChooseSection(Plan plan) {
		this.plan = plan;
	}

	/**
	 * Runs the benchmarks and adds their table and verdicts to the report.
	 * @param report the report
	 * @throws RunnerException if JMH failed
	 */
	void run(Report report) throws RunnerException {
		Map<Key, Figure> figures = new HashMap<>();
		for (int threads : this.plan.threads()) {
			figures.putAll(measure(this.plan, threads, Subject.values()));
		}
		report.add(table(figures));
		verdicts(figures, report);
	}

	/**
	 * Runs {@link ChooseBenchmark} for some subjects on one thread count.
	 * @param plan the instance counts and the length of the run
	 * @param threads the benchmark threads
	 * @param subjects the subjects
	 * @return the figures of every subject and instance count
	 * @throws RunnerException if JMH failed
	 */
	static Map<Key, Figure> measure(Plan plan, int threads, Subject... subjects) throws RunnerException {
		Map<Key, Figure> figures = new HashMap<>();
		for (RunResult result : new Runner(options(plan, threads, subjects).build()).run()) {
			Subject subject = Subject.valueOf(result.getParams().getParam("subject"));
			int n = Integer.parseInt(result.getParams().getParam("n"));
			Result<?> allocation = result.getSecondaryResults().get(ALLOCATION);
			Statistics iterations = result.getPrimaryResult().getStatistics();
			figures.put(new Key(subject, n, threads), new Figure(iterations.getPercentile(50), iterations.getMin(),
					iterations.getMax(), (allocation != null) ? allocation.getScore() : Double.NaN));
		}
		return figures;
	}

	private static ChainedOptionsBuilder options(Plan plan, int threads, Subject... subjects) {
		return new OptionsBuilder().include(ChooseBenchmark.class.getName() + ".choose")
			.param("n", Arrays.stream(plan.instanceCounts()).mapToObj(String::valueOf).toArray(String[]::new))
			.param("subject", Arrays.stream(subjects).map(Subject::name).toArray(String[]::new))
			.threads(threads)
			.forks(plan.forks())
			.warmupIterations(plan.warmupIterations())
			.warmupTime(plan.iterationTime())
			.measurementIterations(plan.measurementIterations())
			.measurementTime(plan.iterationTime())
			.addProfiler(GCProfiler.class)
			.verbosity((plan.forks() == 0) ? VerboseMode.SILENT : VerboseMode.NORMAL)
			.jvmArgsAppend("-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch", BenchmarkSuite.LOGGING)
			.shouldFailOnError(true);
	}

	private Report.Table table(Map<Key, Figure> figures) {
		List<String> columns = new ArrayList<>(List.of("subject", "N"));
		for (int threads : this.plan.threads()) {
			String suffix = " (" + threads + " t)";
			columns.addAll(List.of("ns/op" + suffix, "min–max" + suffix, "B/op" + suffix, "÷ naive" + suffix,
					"SCLB fixed ÷ this" + suffix, "SCLB caching ÷ this" + suffix));
		}
		List<List<Object>> rows = new ArrayList<>();
		for (Subject subject : Subject.values()) {
			for (int n : this.plan.instanceCounts()) {
				List<Object> row = new ArrayList<>(List.of(label(subject), n));
				for (int threads : this.plan.threads()) {
					Figure figure = figures.get(new Key(subject, n, threads));
					row.addAll(List.of(figure.nanos(), Report.format(figure.min()) + "–" + Report.format(figure.max()),
							figure.bytes(),
							ratio(figures, subject, Subject.NAIVE, n, threads),
							ratio(figures, Subject.SCLB_FIXED, subject, n, threads),
							ratio(figures, Subject.SCLB_CACHING, subject, n, threads)));
				}
				rows.add(row);
			}
		}
		return new Report.Table("choose(): one instance of N", "JMH average time, " + this.plan.describe()
				+ "; ns/op is the median of the measured iterations (the machine is shared: a busy neighbour "
				+ "spoils single iterations), min–max their range; `-prof gc` for B/op; t = benchmark threads "
				+ "sharing one balancer. Each fork touches its fixed 1 GiB heap at start (`-XX:+AlwaysPreTouch`): "
				+ "otherwise a subject that allocates pays the kernel's first touch of young-generation pages "
				+ "while the collector grows the young generation, in some forks and not in others. "
				+ "Instances have weights 1, 2, 3 in turn. SCLB = Spring Cloud LoadBalancer `RoundRobinLoadBalancer"
				+ ".choose().block()`. *-tracked = `DiscoveryClient.startCall(service, null)` then `succeeded()`.",
				columns, rows);
	}

	private void verdicts(Map<Key, Figure> figures, Report report) {
		for (Subject subject : List.of(Subject.ROUND_ROBIN, Subject.RANDOM, Subject.WEIGHTED)) {
			naiveVerdict(figures, report, subject, label(subject), 2);
		}
		for (Subject subject : List.of(Subject.LEAST_REQUESTS, Subject.LATENCY)) {
			largestVerdict(figures, report, subject, "", 30, Double.POSITIVE_INFINITY);
		}
		for (Subject subject : List.of(Subject.LEAST_REQUESTS_TRACKED, Subject.LATENCY_TRACKED)) {
			largestVerdict(figures, report, subject, " call cycle", 80, 24);
		}
		largestVerdict(figures, report, Subject.CONSISTENT_HASH, "", 15, 0);
		naiveVerdict(figures, report, Subject.CLIENT_CHOOSE, "DiscoveryClient.choose(name)", 3);
		naiveVerdict(figures, report, Subject.CLIENT_SERVICE_CHOOSE, "ServiceHandle.choose()", 1.5);
		anchorVerdict(figures, report, Subject.SCLB_FIXED, 15);
		anchorVerdict(figures, report, Subject.SCLB_CACHING, 100);
	}

	/**
	 * Judges a subject at the largest N against a ceiling in ns/op and one in B/op (infinite
	 * when the target says nothing of allocation).
	 */
	private void largestVerdict(Map<Key, Figure> figures, Report report, Subject subject, String what, double maxNanos,
			double maxBytes) {
		int largest = Arrays.stream(this.plan.instanceCounts()).max().orElseThrow();
		Worst nanos = worst(figures,
				(n, threads) -> (n == largest) ? figures.get(new Key(subject, n, threads)).nanos() : Double.NaN, true);
		Worst bytes = worst(figures,
				(n, threads) -> (n == largest) ? figures.get(new Key(subject, n, threads)).bytes() : Double.NaN, true);
		String bytesTarget = Double.isInfinite(maxBytes) ? "" : String.format(Locale.ROOT, " and %.0f B/op", maxBytes);
		report.add(new Report.Verdict(
				String.format(Locale.ROOT, "%s%s at most %.0f ns/op%s at N = %d", label(subject), what, maxNanos,
						bytesTarget, largest),
				String.format(Locale.ROOT, "worst %.1f ns/op (%s), at most %.2f B/op (%s)", nanos.value(), nanos.where(),
						bytes.value(), bytes.where()),
				nanos.value() <= maxNanos && bytes.value() < maxBytes + NO_ALLOCATION));
	}

	private void naiveVerdict(Map<Key, Figure> figures, Report report, Subject subject, String what, double factor) {
		Worst ratio = worst(figures, (n, threads) -> ratio(figures, subject, Subject.NAIVE, n, threads), true);
		Worst bytes = worst(figures, (n, threads) -> figures.get(new Key(subject, n, threads)).bytes(), true);
		report.add(new Report.Verdict(
				what + " within " + BigDecimal.valueOf(factor).stripTrailingZeros().toPlainString()
						+ "× of the naive counter, 0 B/op",
				String.format(Locale.ROOT, "worst %.2f× naive (%s), at most %.2f B/op (%s)", ratio.value(),
						ratio.where(), bytes.value(), bytes.where()),
				ratio.value() <= factor && bytes.value() < NO_ALLOCATION));
	}

	private void anchorVerdict(Map<Key, Figure> figures, Report report, Subject anchor, double factor) {
		Worst speedUp = worst(figures, (n, threads) -> ratio(figures, anchor, Subject.CLIENT_CHOOSE, n, threads), false);
		report.add(new Report.Verdict(String.format(Locale.ROOT, "DiscoveryClient.choose at least %.0f× faster than %s",
				factor, label(anchor)), String.format(Locale.ROOT, "worst %.1f× (%s)", speedUp.value(), speedUp.where()),
				speedUp.value() >= factor));
	}

	private Worst worst(Map<Key, Figure> figures, Measure measure, boolean highest) {
		Worst worst = new Worst(Double.NaN, "none");
		for (int threads : this.plan.threads()) {
			for (int n : this.plan.instanceCounts()) {
				double value = measure.at(n, threads);
				if (!Double.isNaN(value) && (Double.isNaN(worst.value()) || (highest ? value > worst.value() : value < worst.value()))) {
					worst = new Worst(value, "N = " + n + ", " + threads + " t");
				}
			}
		}
		return worst;
	}

	private static double ratio(Map<Key, Figure> figures, Subject numerator, Subject denominator, int n, int threads) {
		return figures.get(new Key(numerator, n, threads)).nanos() / figures.get(new Key(denominator, n, threads)).nanos();
	}

	private static String label(Subject subject) {
		return subject.name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

	/**
	 * How long and how widely to run the benchmarks.
	 * @param instanceCounts the values of N
	 * @param threads the thread counts
	 * @param forks JVMs per benchmark; 0 runs in this JVM
	 * @param warmupIterations warm-up iterations
	 * @param measurementIterations measured iterations
	 * @param iterationTime the length of each iteration
	 */
	record Plan(int[] instanceCounts, int[] threads, int forks, int warmupIterations, int measurementIterations,
			TimeValue iterationTime) {

		/**
		 * The full run: N = 10, 100, 1000 on 1 and 2 threads, 1 fork, 5 + 5 iterations of
		 * 0.5 s. A tracked call cycle reaches its steady speed only after about 2 s of calls
		 * (1 s of warm-up left it at 2.5× that speed), hence 2.5 s of warm-up.
		 */
		static Plan full() {
			return new Plan(new int[] { 10, 100, 1000 }, new int[] { 1, 2 }, 1, 5, 5, TimeValue.milliseconds(500));
		}

		/** A smoke run that only proves every benchmark still works: in this JVM, silently, one short iteration. */
		static Plan quick() {
			return new Plan(new int[] { 10 }, new int[] { 1 }, 0, 0, 1, TimeValue.milliseconds(50));
		}

		String describe() {
			return String.format(Locale.ROOT, "%d fork(s), %d warm-up + %d measured iterations of %s", this.forks,
					this.warmupIterations, this.measurementIterations, this.iterationTime);
		}

	}

	/**
	 * Which figure: a subject at an instance count and a thread count.
	 * @param subject the subject
	 * @param n the instance count
	 * @param threads the benchmark threads
	 */
	record Key(Subject subject, int n, int threads) {
	}

	/**
	 * One subject's figures.
	 * @param nanos the median of the measured iterations, ns/op
	 * @param min the fastest iteration, ns/op
	 * @param max the slowest iteration, ns/op
	 * @param bytes the allocation, B/op, NaN when not measured
	 */
	record Figure(double nanos, double min, double max, double bytes) {
	}

	private record Worst(double value, String where) {
	}

	@FunctionalInterface
	private interface Measure {

		double at(int n, int threads);

	}

}
