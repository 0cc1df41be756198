package dev.discovery.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

import dev.discovery.core.testserver.ServerBinary;
import org.springframework.cloud.loadbalancer.core.RoundRobinLoadBalancer;

/**
 * Runs every measurement (or the sections named as arguments: {@code choose},
 * {@code propagation}, {@code failure}, {@code scale}, {@code startup}, {@code gateway},
 * {@code grpc}, {@code transport})
 * and writes {@code <date>.md} and {@code <date>.json} (for some sections only,
 * {@code <date>-<section>-…}) into the directory named by the system property
 * {@code benchmarks.results} (default {@code results}).
 */
public final class BenchmarkSuite {

	private static final List<String> SECTIONS = List.of("choose", "propagation", "failure", "scale", "startup",
			"gateway", "grpc", "transport");

	/** The JVM option that sets the logging of the measuring JVMs: warnings only, to stderr. */
	static final String LOGGING = "-Dlogback.configurationFile=benchmarks-logback.xml";

	private static final int CHANGES = 500;

	private static final int CONSUL_SCALE_CHANGES = 100;

	/**
	 * Pairs behind each startup figure: with 10, the figure moved by more than the 100 ms it
	 * is held to between runs of the same code, and with 20 its 95% interval still spanned
	 * about 270 ms; 30 rounds of the six arms take about 12 to 16 minutes.
	 */
	private static final int STARTUP_ROUNDS = 30;

	/** Turns of each client in the transport section, the order alternating. */
	private static final int TRANSPORT_ROUNDS = 6;

	/** Answers each turn of the transport section times. */
	private static final int TRANSPORT_ANSWERS = 2000;

	private BenchmarkSuite() {
	}

	/**
	 * Runs the suite.
	 * @param args the sections to run; all when empty
	 * @throws Exception if a measurement failed
	 */
	public static void main(String[] args) throws Exception {
		Set<String> sections = new TreeSet<>((args.length == 0) ? SECTIONS : Arrays.asList(args));
		if (!SECTIONS.containsAll(sections)) {
			throw new IllegalArgumentException("Sections are " + SECTIONS + ", not " + sections);
		}
		long started = System.nanoTime();
		Report report = new Report();
		describeEnvironment(report);
		if (sections.contains("choose")) {
			new ChooseSection(ChooseSection.Plan.full()).run(report);
		}
		try (Servers servers = new Servers()) {
			if (sections.contains("propagation")) {
				new PropagationSection(servers, CHANGES).run(report, List.of(Registry.values()));
			}
			if (sections.contains("failure")) {
				new FailureSection(servers, Duration.ofSeconds(5), 3).run(report);
			}
			if (sections.contains("scale")) {
				new ScaleSection(servers, 1000, 10).run(report);
				new ConsulScaleSection(servers, List.of(1, 100, 1000, 2000), CONSUL_SCALE_CHANGES).run(report);
			}
			if (sections.contains("startup")) {
				new StartupSection(servers, STARTUP_ROUNDS).run(report);
			}
			if (sections.contains("gateway")) {
				new GatewaySection(servers, GatewaySection.Plan.full()).run(report);
			}
			if (sections.contains("grpc")) {
				new GrpcSection(servers, GrpcSection.Plan.full()).run(report, List.of(Registry.values()));
			}
			if (sections.contains("transport")) {
				new TransportSection(servers, TRANSPORT_ROUNDS, TRANSPORT_ANSWERS).run(report);
			}
		}
		report.environment("duration of the run", Duration.ofNanos(System.nanoTime() - started).toSeconds() + " s");
		String name = LocalDate.now().toString();
		if (!sections.containsAll(SECTIONS)) {
			name += "-" + String.join("-", sections);
		}
		Path written = report.write(Path.of(System.getProperty("benchmarks.results", "results")), name);
		System.out.println("Wrote " + written.toAbsolutePath() + " and its .json");
	}

	/**
	 * Records the machine, the JDK and the versions of everything measured.
	 * @param report the report
	 * @throws IOException if the versions could not be read
	 */
	static void describeEnvironment(Report report) throws IOException {
		report.environment("date", LocalDate.now().toString());
		report.environment("CPU", cpuModel() + ", " + Runtime.getRuntime().availableProcessors() + " processors (nproc)");
		report.environment("memory", memory());
		report.environment("load average at start (1, 5, 15 min)", loadAverage());
		report.environment("JDK", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
				+ ", " + String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
		report.environment("OS", System.getProperty("os.name") + " " + System.getProperty("os.version"));
		Properties versions = new Properties();
		try (InputStream in = BenchmarkSuite.class.getResourceAsStream("/benchmarks.properties")) {
			versions.load(in);
		}
		new TreeSet<>(versions.stringPropertyNames())
			.forEach((name) -> report.environment(name, versions.getProperty(name)));
		report.environment("spring-cloud-loadbalancer",
				String.valueOf(RoundRobinLoadBalancer.class.getPackage().getImplementationVersion()));
		report.environment("etcd server", ServerBinary.ETCD.version());
		report.environment("consul server", ServerBinary.CONSUL.version());
	}

	private static String loadAverage() throws IOException {
		Path path = Path.of("/proc/loadavg");
		if (!Files.isReadable(path)) {
			return "unknown";
		}
		String[] fields = Files.readString(path).trim().split("\\s+");
		return String.join(", ", Arrays.asList(fields).subList(0, Math.min(3, fields.length)));
	}

	private static String cpuModel() throws IOException {
		return procLine("/proc/cpuinfo", "model name");
	}

	private static String memory() throws IOException {
		String total = procLine("/proc/meminfo", "MemTotal").replace("kB", "").trim();
		return (total.isEmpty()) ? "unknown" : String.format("%.1f GiB", Long.parseLong(total) / 1024.0 / 1024.0);
	}

	private static String procLine(String file, String name) throws IOException {
		Path path = Path.of(file);
		if (!Files.isReadable(path)) {
			return "";
		}
		try (var lines = Files.lines(path)) {
			return lines.filter((line) -> line.startsWith(name))
				.map((line) -> line.substring(line.indexOf(':') + 1).trim())
				.findFirst()
				.orElse("");
		}
	}

}
