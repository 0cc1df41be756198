package dev.discovery.benchmarks;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import dev.discovery.consul.testserver.ConsulAgentExtension;
import dev.discovery.core.DiscoveryBackend;
import dev.discovery.core.DiscoveryClient;
import dev.discovery.core.ServiceInstance;

/**
 * Failure detection: a separate JVM ({@link RegisteredProcess}) registers an instance and is
 * killed with SIGKILL once another client sees it; timed from the kill until that client no
 * longer offers the instance. The target is the TTL plus 2 s.
 */
final class FailureSection {

	private static final String SERVICE = "failure";

	private static final Duration SLACK = Duration.ofSeconds(2);

	private final Servers servers;

	private final Duration ttl;

	private final int trials;

	/**
	 * Creates the section.
	 * @param servers the run's servers
	 * @param ttl the registration TTL of the killed process
	 * @param trials how many processes to kill per registry
	 */
	FailureSection(Servers servers, Duration ttl, int trials) {
		this.servers = servers;
		this.ttl = ttl;
		this.trials = trials;
	}

	/**
	 * Measures etcd and Consul and adds the table and verdicts to the report.
	 * @param report the report
	 * @throws Exception if a process did not register, or its instance did not go in time
	 */
	void run(Report report) throws Exception {
		List<List<Object>> rows = new ArrayList<>();
		double limit = (this.ttl.plus(SLACK)).toMillis();
		for (Registry registry : List.of(Registry.ETCD, Registry.CONSUL)) {
			Samples samples = measure(registry);
			rows.add(List.of(registry.label(), samples.size(), samples.medianMillis(), samples.maxMillis(),
					(double) this.ttl.toMillis(), samples.maxMillis() / this.ttl.toMillis()));
			report.add(new Report.Verdict(registry.label() + ": a killed process is gone within TTL + 2 s",
					String.format(Locale.ROOT, "max %.0f ms over %d kills, limit %.0f ms (TTL %d s)",
							samples.maxMillis(), samples.size(), limit, this.ttl.toSeconds()),
					samples.maxMillis() <= limit));
		}
		report.add(new Report.Table("Failure detection", "A separate JVM registers with TTL " + this.ttl.toSeconds()
				+ " s and is killed with SIGKILL once client B sees it; timed until B's DiscoveryClient no longer "
				+ "offers it. The anchor is the TTL: nothing can notice a silent death sooner.",
				List.of("registry", "kills", "median ms", "max ms", "TTL ms", "max ÷ TTL"), rows));
	}

	private Samples measure(Registry registry) throws Exception {
		Samples samples = new Samples();
		try (DiscoveryBackend backend = registry.open(this.servers, this.ttl);
				DiscoveryClient client = new DiscoveryClient(backend); Watcher watcher = new Watcher(client, SERVICE)) {
			for (int trial = 0; trial < this.trials; trial++) {
				int port = 30000 + trial;
				String id = ServiceInstance.builder(SERVICE, "127.0.0.1", port).build().id();
				Process process = start(registry, port);
				try {
					watcher.await(id, true, Duration.ofSeconds(30));
					long killed = System.nanoTime();
					process.destroyForcibly();
					samples.add(watcher.await(id, false, this.ttl.multipliedBy(3).plus(Duration.ofSeconds(30))) - killed);
				}
				finally {
					process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
				}
			}
		}
		return samples;
	}

	/**
	 * Starts a {@link RegisteredProcess} with this JVM's class path and waits until it says it
	 * registered. {@link Process#destroyForcibly()} is SIGKILL on Linux.
	 */
	private Process start(Registry registry, int port) throws Exception {
		String address;
		if (registry == Registry.ETCD) {
			address = this.servers.etcdEndpoint();
		}
		else {
			ConsulAgentExtension agent = this.servers.consul();
			address = agent.host() + ":" + agent.port();
		}
		Path log = Files.createTempFile("discovery-registered-", ".log");
		Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m",
				BenchmarkSuite.LOGGING, "-cp", System.getProperty("java.class.path"), RegisteredProcess.class.getName(),
				registry.name().toLowerCase(Locale.ROOT), address, SERVICE, String.valueOf(port),
				String.valueOf(this.ttl.toSeconds()))
			.redirectError(log.toFile())
			.start();
		try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = out.readLine()) != null) {
				if (line.equals(RegisteredProcess.REGISTERED)) {
					Files.delete(log);
					return process;
				}
			}
		}
		process.destroyForcibly();
		throw new IllegalStateException(registry.label() + " process did not register; its log:\n" + Files.readString(log));
	}

}
