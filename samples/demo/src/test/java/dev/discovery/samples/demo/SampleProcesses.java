package dev.discovery.samples.demo;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sample applications started as a user starts them: a plain {@code java} command on the
 * application's own class path (the {@code runtime-classpath.txt} that packaging the sample
 * writes), with the registry's profile and the arguments that reach the test's registry
 * server. Each process logs to {@code target/processes}; closing kills them all.
 */
final class SampleProcesses implements AutoCloseable {

	private final String profile;

	private final List<String> connectionArguments;

	private final Map<String, String> environment;

	private final List<Process> processes = new ArrayList<>();

	/**
	 * Prepares to start applications.
	 * @param profile the Spring profile that selects the registry
	 * @param connectionArguments the {@code --name=value} arguments that point at the registry
	 * @param environment variables every process gets, such as the operator's password
	 */
	SampleProcesses(String profile, List<String> connectionArguments, Map<String, String> environment) {
		this.profile = profile;
		this.connectionArguments = connectionArguments;
		this.environment = environment;
	}

	/**
	 * Starts one application on a loopback address and port.
	 * @param application the sample's directory under {@code samples}
	 * @param mainClass its main class
	 * @param port the server port
	 * @param arguments more Spring Boot arguments
	 * @return the process
	 * @throws IOException if it cannot be started
	 */
	Process start(String application, String mainClass, int port, String... arguments) throws IOException {
		Path module = Path.of(System.getProperty("samples.dir", ".."), application).toAbsolutePath().normalize();
		Path classpathFile = module.resolve("target/runtime-classpath.txt");
		assertThat(classpathFile).as("the class path file that packaging %s writes", application).exists();
		String classpath = module.resolve("target/classes") + File.pathSeparator
				+ Files.readString(classpathFile).trim();
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-cp", classpath, mainClass, "--spring.profiles.active=" + this.profile, "--server.port=" + port,
				"--discovery.instance.host=127.0.0.1"));
		command.addAll(this.connectionArguments);
		command.addAll(List.of(arguments));
		Path log = Path.of("target", "processes", this.profile + "-" + application + "-" + port + ".log");
		Files.createDirectories(log.getParent());
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
		builder.environment().putAll(this.environment);
		Process process = builder.start();
		this.processes.add(process);
		return process;
	}

	/**
	 * Kills every process this started, as {@code kill -9} does.
	 * @throws InterruptedException if interrupted while waiting for them to end
	 */
	@Override
	public void close() throws InterruptedException {
		for (Process process : this.processes) {
			process.destroyForcibly();
			process.waitFor(10, TimeUnit.SECONDS);
		}
		this.processes.clear();
	}

}
