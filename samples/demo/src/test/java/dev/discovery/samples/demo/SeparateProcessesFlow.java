package dev.discovery.samples.demo;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.discovery.core.InstanceStatus;
import dev.discovery.core.ServiceInstance;
import dev.discovery.core.testserver.FreePorts;
import dev.discovery.samples.client.Spread;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample applications as a user runs them against a registry server: two
 * greeting-service processes and one greeting-client process, each a plain {@code java}
 * command on the application's own class path with the registry's profile. Calls spread over
 * both services; after one is killed with SIGKILL, calls still succeed, and the dead instance
 * stops being UP in the client's view once its TTL (5 s in the profiles) expires: etcd drops
 * it with its lease, Consul marks it critical (DOWN) until it deregisters it.
 */
abstract class SeparateProcessesFlow {

	private static final Duration STARTUP = Duration.ofSeconds(90);

	private final List<Process> processes = new ArrayList<>();

	/**
	 * Returns the Spring profile that selects the registry.
	 * @return {@code etcd} or {@code consul}
	 */
	protected abstract String profile();

	/**
	 * Returns the arguments that point the applications at the test's registry server.
	 * @return {@code --name=value} arguments
	 */
	protected abstract List<String> connectionArguments();

	@AfterEach
	void killProcesses() throws InterruptedException {
		for (Process process : this.processes) {
			process.destroyForcibly();
			process.waitFor(10, TimeUnit.SECONDS);
		}
	}

	@Test
	void callsSpreadOverTwoServicesAndSurviveTheKillOfOne() throws Exception {
		int[] ports = FreePorts.pick(3);
		Process first = start("greeting-service", "dev.discovery.samples.greeting.GreetingServiceApplication",
				ports[0]);
		start("greeting-service", "dev.discovery.samples.greeting.GreetingServiceApplication", ports[1]);
		start("greeting-client", "dev.discovery.samples.client.GreetingClientApplication", ports[2]);
		RestClient client = RestClient.create("http://127.0.0.1:" + ports[2]);

		Awaitility.await()
			.atMost(STARTUP)
			.pollInterval(Duration.ofMillis(500))
			.ignoreExceptions()
			.untilAsserted(() -> assertThat(spread(client).answeredBy().keySet())
				.containsExactlyInAnyOrder(id(ports[0]), id(ports[1])));
		Spread spread = spread(client);
		assertThat(spread.failed()).isZero();
		assertThat(spread.answeredBy()).containsOnlyKeys(id(ports[0]), id(ports[1]));

		first.destroyForcibly();
		assertThat(first.waitFor(10, TimeUnit.SECONDS)).isTrue();

		Spread afterKill = spread(client);
		assertThat(afterKill.failed()).as("calls failed right after the kill").isZero();
		assertThat(afterKill.answeredBy()).containsOnlyKeys(id(ports[1]));
		Awaitility.await()
			.atMost(Duration.ofSeconds(15))
			.pollInterval(Duration.ofMillis(200))
			.untilAsserted(() -> assertThat(spread(client).instances())
				.filteredOn((instance) -> instance.status() == InstanceStatus.UP)
				.extracting(ServiceInstance::port)
				.containsExactly(ports[1]));
		Spread settled = spread(client);
		assertThat(settled.failed()).isZero();
		assertThat(settled.answeredBy()).containsOnlyKeys(id(ports[1]));
	}

	private Process start(String application, String mainClass, int port) throws IOException {
		Path module = Path.of(System.getProperty("samples.dir", ".."), application).toAbsolutePath().normalize();
		Path classpathFile = module.resolve("target/runtime-classpath.txt");
		assertThat(classpathFile).as("the class path file that packaging %s writes", application).exists();
		String classpath = module.resolve("target/classes") + File.pathSeparator
				+ Files.readString(classpathFile).trim();
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-cp", classpath, mainClass, "--spring.profiles.active=" + profile(), "--server.port=" + port,
				"--discovery.instance.host=127.0.0.1"));
		command.addAll(connectionArguments());
		Path log = Path.of("target", "processes", profile() + "-" + application + "-" + port + ".log");
		Files.createDirectories(log.getParent());
		Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
		this.processes.add(process);
		return process;
	}

	private static Spread spread(RestClient client) {
		Spread spread = client.get().uri("/spread?calls=20").retrieve().body(Spread.class);
		assertThat(spread).isNotNull();
		return spread;
	}

	private static String id(int port) {
		return "greeting-service-127.0.0.1-" + port;
	}

}
