package dev.discovery.etcd.testserver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * One etcd server process of an {@link EtcdCluster}, on fixed loopback ports and a data
 * directory that survive restarts. Health and leadership are read from its plain-http
 * metrics listener, so they work with TLS and authentication enabled.
 */
public final class EtcdMember {

	private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

	private final String name;

	private final int clientPort;

	private final int peerPort;

	private final int metricsPort;

	private final Path dataDir;

	private final Path log;

	private final String scheme;

	private final List<String> extraArguments;

	private @Nullable String initialCluster;

	private @Nullable Process process;

	EtcdMember(String name, int[] ports, Path workDir, String scheme, List<String> extraArguments) {
		this.name = name;
		this.clientPort = ports[0];
		this.peerPort = ports[1];
		this.metricsPort = ports[2];
		this.dataDir = workDir.resolve(name + ".etcd");
		this.log = workDir.resolve(name + ".log");
		this.scheme = scheme;
		this.extraArguments = extraArguments;
	}

	/**
	 * Returns the client URL, for example {@code http://127.0.0.1:23790}.
	 * @return the client URL
	 */
	public String clientUrl() {
		return this.scheme + "://127.0.0.1:" + this.clientPort;
	}

	String peerEntry() {
		return this.name + "=http://127.0.0.1:" + this.peerPort;
	}

	/**
	 * Returns the member's name.
	 * @return the name
	 */
	public String name() {
		return this.name;
	}

	synchronized void start(Path executable, String initialCluster) {
		this.initialCluster = initialCluster;
		start(executable);
	}

	/**
	 * Starts the process on the same ports and data directory as before.
	 * @param executable the etcd executable
	 */
	public synchronized void start(Path executable) {
		if (this.process != null && this.process.isAlive()) {
			throw new IllegalStateException(this.name + " is already running");
		}
		List<String> command = new ArrayList<>(List.of(executable.toString(), "--name", this.name, "--data-dir",
				this.dataDir.toString(), "--listen-client-urls", clientUrl(), "--advertise-client-urls", clientUrl(),
				"--listen-peer-urls", "http://127.0.0.1:" + this.peerPort, "--initial-advertise-peer-urls",
				"http://127.0.0.1:" + this.peerPort, "--listen-metrics-urls", "http://127.0.0.1:" + this.metricsPort,
				"--initial-cluster", this.initialCluster, "--initial-cluster-state", "new", "--initial-cluster-token",
				"discovery-test", "--heartbeat-interval", "100", "--election-timeout", "1000", "--log-level", "warn"));
		command.addAll(this.extraArguments);
		try {
			this.process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(this.log.toFile()))
				.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start etcd " + this.name, ex);
		}
	}

	/**
	 * Kills the process with SIGKILL and waits until it is gone.
	 */
	public synchronized void kill() {
		Process current = this.process;
		if (current == null) {
			return;
		}
		current.destroyForcibly();
		try {
			if (!current.waitFor(10, TimeUnit.SECONDS)) {
				throw new IllegalStateException("etcd " + this.name + " survived SIGKILL");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		this.process = null;
	}

	/**
	 * Freezes the process with SIGSTOP.
	 */
	public void pause() {
		signal("STOP");
	}

	/**
	 * Thaws a process frozen by {@link #pause()} with SIGCONT.
	 */
	public void resume() {
		signal("CONT");
	}

	/**
	 * Tells whether the process runs and answers its health check.
	 * @return {@code true} if healthy
	 */
	public boolean isHealthy() {
		return isRunning() && metrics("/health").contains("\"health\":\"true\"");
	}

	/**
	 * Tells whether this member is the raft leader.
	 * @return {@code true} if leader
	 */
	public boolean isLeader() {
		return isRunning() && metrics("/metrics").lines().anyMatch("etcd_server_is_leader 1"::equals);
	}

	/**
	 * Counts the watch streams that clients hold open on this member.
	 * @return the count, or 0 if the member does not answer
	 */
	public int watchStreams() {
		return metrics("/metrics").lines()
			.filter((line) -> line.startsWith("etcd_debugging_mvcc_watch_stream_total "))
			.mapToInt((line) -> (int) Double.parseDouble(line.substring(line.indexOf(' ') + 1)))
			.sum();
	}

	/**
	 * Counts the watches that clients have registered on this member, over all their streams.
	 * @return the count, or 0 if the member does not answer
	 */
	public long watchers() {
		return metric("etcd_debugging_mvcc_watcher_total");
	}

	/**
	 * Counts the range reads this member has served, including those in transactions.
	 * @return the count, or 0 if the member does not answer
	 */
	public long rangeRequests() {
		return metric("etcd_mvcc_range_total");
	}

	/**
	 * Returns the store's current revision, which every write moves.
	 * @return the revision, or 0 if the member does not answer
	 */
	public long revision() {
		return metric("etcd_debugging_mvcc_current_revision");
	}

	/**
	 * Tells whether the process is alive.
	 * @return {@code true} if alive
	 */
	public synchronized boolean isRunning() {
		return this.process != null && this.process.isAlive();
	}

	String logTail() {
		try {
			List<String> lines = Files.readAllLines(this.log);
			return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
		}
		catch (IOException ex) {
			return "(no log: " + ex.getMessage() + ")";
		}
	}

	private long metric(String name) {
		return metrics("/metrics").lines()
			.filter((line) -> line.startsWith(name + " "))
			.mapToLong((line) -> (long) Double.parseDouble(line.substring(line.indexOf(' ') + 1)))
			.sum();
	}

	private String metrics(String path) {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.metricsPort + path))
			.timeout(Duration.ofSeconds(2))
			.build();
		try {
			return http.send(request, HttpResponse.BodyHandlers.ofString()).body();
		}
		catch (IOException ex) {
			return "";
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return "";
		}
	}

	private synchronized void signal(String signal) {
		Process current = this.process;
		if (current == null) {
			throw new IllegalStateException("etcd " + this.name + " is not running");
		}
		try {
			Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(current.pid())).start();
			if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
				throw new IllegalStateException("kill -" + signal + " " + current.pid() + " failed");
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
