package dev.discovery.benchmarks;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

import dev.discovery.benchmarks.sample.StartupSample;

/**
 * Startup overhead: {@link StartupSample} without the discovery starter, with it on
 * in-memory (with and without the modules it does not use), with it on etcd, and without
 * it registering in etcd by hand, with jetcd and over etcd's JSON gateway, one after the
 * other in rounds so that the machine's noise falls on every arm alike; each run timed
 * from starting the JVM to the application being ready.
 */
final class StartupSection {

	private static final long IN_MEMORY_TARGET_MILLIS = 100;

	private static final long ETCD_TARGET_MILLIS = 300;

	private final Servers servers;

	private final int rounds;

	/**
	 * Creates the section.
	 * @param servers the run's servers
	 * @param rounds how many runs of each arm
	 */
	StartupSection(Servers servers, int rounds) {
		this.servers = servers;
		this.rounds = rounds;
	}

	/**
	 * Measures and adds the table and verdict to the report.
	 * @param report the report
	 * @throws Exception if a run failed
	 */
	void run(Report report) throws Exception {
		Map<Arm, Samples> samples = new EnumMap<>(Arm.class);
		Map<Arm, Samples> added = new EnumMap<>(Arm.class);
		for (Arm arm : Arm.values()) {
			samples.put(arm, new Samples());
			added.put(arm, new Samples());
		}
		Samples beyondJetcd = new Samples();
		for (int round = 0; round < this.rounds; round++) {
			Map<Arm, Long> nanos = new EnumMap<>(Arm.class);
			for (Arm arm : Arm.inOrderOfRound(round)) {
				nanos.put(arm, start(arm));
				samples.get(arm).add(nanos.get(arm));
			}
			for (Arm arm : Arm.values()) {
				if (arm != Arm.WITHOUT) {
					added.get(arm).add(nanos.get(arm) - nanos.get(Arm.WITHOUT));
				}
			}
			beyondJetcd.add(nanos.get(Arm.ETCD) - nanos.get(Arm.HAND_WRITTEN_ETCD));
		}
		List<List<Object>> rows = new ArrayList<>();
		double anchor = samples.get(Arm.WITHOUT).medianMillis();
		for (Arm arm : Arm.values()) {
			Samples arms = samples.get(arm);
			boolean isAnchor = arm == Arm.WITHOUT;
			double[] interval = isAnchor ? new double[] { Double.NaN, Double.NaN }
					: added.get(arm).medianConfidenceMillis();
			rows.add(List.of(arm.label, arms.size(), arms.percentileMillis(10), arms.medianMillis(), arms.maxMillis(),
					isAnchor ? Double.NaN : added.get(arm).medianMillis(), interval[0], interval[1],
					isAnchor ? Double.NaN : arms.percentileMillis(10) - samples.get(Arm.WITHOUT).percentileMillis(10),
					arms.medianMillis() / anchor));
		}
		report.add(new Report.Table("Startup overhead", "A Spring Boot web + actuator sample, from starting the JVM "
				+ "to ApplicationReadyEvent, " + this.rounds + " rounds of the arms in turn, each round starting "
				+ "one arm later, so that every arm takes every place in the order in turn. Added: the median of "
				+ "each round's difference to the run without the starter (the anchor), with the order statistics "
				+ "that hold the true median with at least 95% probability whatever the noise's distribution, and the "
				+ "difference of the 10th percentiles (noise only adds time, so the fast runs are the least disturbed).",
				List.of("arm", "runs", "p10 ms", "median ms", "max ms", "added ms (median of pairs)",
						"added ms, 95% low", "added ms, 95% high", "added ms (p10 − p10)", "median ÷ without"),
				rows));
		report.add(verdict(Arm.IN_MEMORY, IN_MEMORY_TARGET_MILLIS, samples, added, ""));
		double[] beyond = beyondJetcd.medianConfidenceMillis();
		report.add(verdict(Arm.ETCD, ETCD_TARGET_MILLIS, samples, added,
				String.format(Locale.ROOT, "; jetcd by hand adds %.0f ms, and the starter on etcd minus jetcd by hand is "
						+ "%.0f ms (median of the rounds' differences, 95%% interval %.0f to %.0f ms); registering over "
						+ "etcd's JSON gateway by hand adds %.0f ms",
						added.get(Arm.HAND_WRITTEN_ETCD).medianMillis(), beyondJetcd.medianMillis(), beyond[0],
						beyond[1], added.get(Arm.HAND_WRITTEN_ETCD_GATEWAY).medianMillis())));
	}

	private Report.Verdict verdict(Arm arm, long targetMillis, Map<Arm, Samples> samples, Map<Arm, Samples> added,
			String more) {
		double median = added.get(arm).medianMillis();
		double[] interval = added.get(arm).medianConfidenceMillis();
		return new Report.Verdict(arm.label + " adds at most " + targetMillis + " ms to startup",
				String.format(Locale.ROOT, "%.0f ms added (median of %d pairs, 95%% interval %.0f to %.0f ms; p10 − p10: "
						+ "%.0f ms)", median, this.rounds, interval[0], interval[1],
						samples.get(arm).percentileMillis(10) - samples.get(Arm.WITHOUT).percentileMillis(10)) + more,
				median <= targetMillis);
	}

	private long start(Arm arm) throws Exception {
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-cp", arm.classPath(System.getProperty("java.class.path")), StartupSample.class.getName(),
				"--server.port=0", "--spring.application.name=startup-sample"));
		command.addAll(arm.arguments(this.servers));
		long started = System.nanoTime();
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		long ready = 0;
		StringBuilder output = new StringBuilder();
		try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = out.readLine()) != null) {
				if (ready == 0 && line.equals(StartupSample.READY)) {
					ready = System.nanoTime();
				}
				output.append(line).append('\n');
			}
		}
		if (!process.waitFor(60, TimeUnit.SECONDS) || ready == 0) {
			process.destroyForcibly();
			throw new IllegalStateException(arm.label + " did not get ready; its output:\n" + output);
		}
		return ready - started;
	}

	/**
	 * The ways the sample runs. Each arm with the starter has the discovery modules an
	 * application on that backend depends on: the starter brings the core and in-memory
	 * modules, an etcd application adds discovery-etcd. One arm also has the modules it does
	 * not use (etcd, Consul, gRPC), to show what they cost when present. Third-party jars
	 * stay in every arm, the anchor included, so that only our jars differ.
	 */
	enum Arm {

		/** Without any discovery jar on the class path: the anchor. */
		WITHOUT("without the starter", List.of("discovery-")),

		/** With the starter on the in-memory backend. */
		IN_MEMORY("starter, in-memory", List.of("discovery-etcd", "discovery-consul", "discovery-grpc")),

		/** With the starter on the in-memory backend and the other modules present, unused. */
		IN_MEMORY_EVERY_MODULE("starter, in-memory, etcd + Consul + gRPC modules unused", List.of()),

		/** With the starter and the etcd module on the run's etcd. */
		ETCD("starter, etcd", List.of("discovery-consul", "discovery-grpc")),

		/**
		 * Without any discovery jar, registering in the run's etcd with jetcd by hand: the
		 * anchor of the etcd arm.
		 */
		HAND_WRITTEN_ETCD("without the starter, registering in etcd with jetcd by hand", List.of("discovery-")),

		/**
		 * Without any discovery jar, registering in the run's etcd over its JSON gateway with
		 * the JDK's {@code HttpURLConnection} by hand: what a client lighter than jetcd
		 * would cost.
		 */
		HAND_WRITTEN_ETCD_GATEWAY("without the starter, registering in etcd over its JSON gateway by hand",
				List.of("discovery-"));

		private final String label;

		private final List<String> leftOut;

		Arm(String label, List<String> leftOut) {
			this.label = label;
			this.leftOut = leftOut;
		}

		List<String> arguments(Servers servers) {
			return switch (this) {
				case WITHOUT -> List.of();
				case IN_MEMORY, IN_MEMORY_EVERY_MODULE -> List.of("--discovery.backend=inmemory");
				case ETCD -> List.of("--discovery.backend=etcd", "--discovery.etcd.endpoints=" + servers.etcdEndpoint());
				case HAND_WRITTEN_ETCD -> List.of(StartupSample.HAND_WRITTEN_ETCD + servers.etcdEndpoint());
				case HAND_WRITTEN_ETCD_GATEWAY ->
					List.of(StartupSample.HAND_WRITTEN_ETCD_GATEWAY + servers.etcdEndpoint());
			};
		}

		/**
		 * A class path without what the sample must not see: JMH, Spring Cloud and our
		 * bridge to it (whose auto-configuration would join in) always, and the discovery
		 * jars this arm leaves out.
		 * @param classPath the measuring JVM's class path
		 * @return the sample's class path in this arm
		 */
		String classPath(String classPath) {
			return Arrays.stream(classPath.split(File.pathSeparator))
				.filter((entry) -> !entry.contains("/org/springframework/cloud/") && !entry.contains("/org/openjdk/jmh/")
						&& !entry.contains("discovery-spring-cloud"))
				.filter((entry) -> StreamSupport.stream(Path.of(entry).spliterator(), false)
					.noneMatch((element) -> this.leftOut.stream().anyMatch(element.toString()::startsWith)))
				.collect(Collectors.joining(File.pathSeparator));
		}

		/**
		 * Returns the arms in the order of one round: each round starts one arm later than
		 * the one before, so that an effect of the place in the order (what the run before
		 * left behind, or what the next one finds) falls on every arm alike.
		 * @param round the round, from 0
		 * @return every arm once
		 */
		static List<Arm> inOrderOfRound(int round) {
			List<Arm> arms = new ArrayList<>(List.of(values()));
			Collections.rotate(arms, -(round % arms.size()));
			return arms;
		}

	}

}
