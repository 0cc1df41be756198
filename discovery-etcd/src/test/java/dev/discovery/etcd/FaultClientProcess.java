package dev.discovery.etcd;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import dev.discovery.core.RegistrationState;
import dev.discovery.core.ServiceInstance;

/**
 * A {@link FaultClient} in a JVM of its own, started with this JVM's class path, and what
 * it reported so far. Its standard error goes to a log file. Thread-safe.
 */
final class FaultClientProcess implements AutoCloseable {

	private final String name;

	private final Process process;

	private final Path log;

	private final CompletableFuture<List<ServiceInstance>> ready = new CompletableFuture<>();

	private final CompletableFuture<Void> stopped = new CompletableFuture<>();

	private final Map<String, RegistrationState> states = new ConcurrentHashMap<>();

	private final List<String> exceptions = new CopyOnWriteArrayList<>();

	private final HealthTrace health;

	private volatile long lease;

	private FaultClientProcess(String name, String service, Process process, Path log) {
		this.name = name;
		this.process = process;
		this.log = log;
		this.health = new HealthTrace(name);
		Thread reader = new Thread(() -> read(service), name + "-reader");
		reader.setDaemon(true);
		reader.start();
	}

	/**
	 * Starts a client JVM; it registers its instances in the background.
	 * @param name the client's name, which prefixes its instance ids
	 * @param service the service its instances belong to
	 * @param instances how many instances it registers
	 * @param ttl the TTL of its backend
	 * @param endpoints the etcd endpoints
	 * @param logDirectory where its standard error goes, as {@code <name>.log}
	 * @return the running process
	 */
	static FaultClientProcess start(String name, String service, int instances, Duration ttl, List<String> endpoints,
			Path logDirectory) {
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Xmx96m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Dorg.slf4j.simpleLogger.showDateTime=true",
				"-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS", "-cp", System.getProperty("java.class.path"),
				FaultClient.class.getName(), name, service, Integer.toString(instances), Long.toString(ttl.toSeconds())));
		command.addAll(endpoints);
		Path log = logDirectory.resolve(name + ".log");
		try {
			Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
			return new FaultClientProcess(name, service, process, log);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start client " + name, ex);
		}
	}

	String name() {
		return this.name;
	}

	/**
	 * Waits until every instance of the client is registered.
	 * @param timeout how long to wait
	 * @return the instances, sorted by id
	 * @throws IllegalStateException if the client did not say it is ready in time
	 */
	List<ServiceInstance> awaitReady(Duration timeout) {
		try {
			return this.ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (Exception ex) {
			throw new IllegalStateException("Client " + this.name + " did not get ready in " + timeout + ": " + this
					+ ", see " + this.log, ex);
		}
	}

	/**
	 * Returns the instances the client registered.
	 * @return the instances, sorted by id; empty before it is ready
	 */
	List<ServiceInstance> instances() {
		return this.ready.getNow(List.of());
	}

	/**
	 * Tells whether each of the client's registrations last reported {@code REGISTERED}.
	 * @return {@code true} if all are registered
	 */
	boolean allRegistered() {
		List<ServiceInstance> instances = instances();
		return !instances.isEmpty() && instances.stream()
			.allMatch((instance) -> this.states.get(instance.id()) == RegistrationState.REGISTERED);
	}

	/**
	 * Returns the lease the client's backend last reported.
	 * @return the lease id, or 0 before the first report
	 */
	long lease() {
		return this.lease;
	}

	HealthTrace health() {
		return this.health;
	}

	/**
	 * Returns every exception that reached the client's application code.
	 * @return the reports, empty if none
	 */
	List<String> exceptions() {
		return List.copyOf(this.exceptions);
	}

	boolean isAlive() {
		return this.process.isAlive();
	}

	/**
	 * Asks the client to close its backend and exit, and waits for it.
	 * @param timeout how long to wait
	 * @return the exit code
	 * @throws IllegalStateException if it did not stop in time
	 */
	int stop(Duration timeout) {
		try {
			Writer in = new OutputStreamWriter(this.process.getOutputStream(), StandardCharsets.UTF_8);
			in.write(FaultClient.STOP + "\n");
			in.flush();
			this.stopped.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
			if (!this.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				throw new IllegalStateException("Client " + this.name + " did not exit");
			}
			return this.process.exitValue();
		}
		catch (Exception ex) {
			throw new IllegalStateException("Client " + this.name + " did not stop in " + timeout + ", see " + this.log,
					ex);
		}
	}

	/**
	 * Kills the process if it still runs.
	 */
	@Override
	public void close() {
		this.process.destroyForcibly();
	}

	@Override
	public String toString() {
		return this.name + "[alive=" + this.process.isAlive() + ", states=" + this.states + ", lease="
				+ Long.toHexString(this.lease) + ", exceptions=" + this.exceptions + "]";
	}

	private void read(String service) {
		try (BufferedReader out = new BufferedReader(
				new InputStreamReader(this.process.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = out.readLine()) != null) {
				handle(service, line);
			}
		}
		catch (IOException ex) {
			this.exceptions.add("reading the client's output failed: " + ex);
		}
		this.ready.completeExceptionally(new IllegalStateException("Client " + this.name + " ended"));
	}

	private void handle(String service, String line) {
		String[] words = line.split(" ", 3);
		switch (words[0]) {
			case FaultClient.READY -> this.ready.complete(instances(service, line));
			case FaultClient.STATE -> this.states.put(words[1], RegistrationState.valueOf(words[2]));
			case FaultClient.LEASE -> this.lease = Long.parseUnsignedLong(words[1], 16);
			case FaultClient.HEALTH -> this.health.record(words[1].equals(FaultClient.FRESH));
			case FaultClient.STOPPED -> this.stopped.complete(null);
			default -> this.exceptions.add(line);
		}
	}

	private static List<ServiceInstance> instances(String service, String line) {
		List<ServiceInstance> instances = new ArrayList<>();
		for (String entry : line.split(" ")) {
			int separator = entry.indexOf('=');
			if (separator > 0) {
				instances.add(ServiceInstance.builder(service, "127.0.0.1", Integer.parseInt(entry.substring(separator + 1)))
					.id(entry.substring(0, separator))
					.build());
			}
		}
		instances.sort(Comparator.comparing(ServiceInstance::id));
		return List.copyOf(instances);
	}

}
