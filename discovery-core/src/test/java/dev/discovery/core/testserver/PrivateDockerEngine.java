package dev.discovery.core.testserver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;

/**
 * A Docker engine that the test run starts for itself where no other engine is reachable:
 * Debian's {@code dockerd}, {@code containerd} and {@code runc}, found or fetched by
 * {@link ServerBinary}, run with their own socket, data root, exec root, pid file and
 * configuration file in a temporary directory. Published ports are bound to 127.0.0.1, and
 * the engine neither changes iptables nor forwards or masquerades traffic, so containers
 * are reachable from this machine only and reach nothing but each other and this machine.
 * The images the tests use are built in it from the same Debian binaries, under their
 * upstream names ({@link #IMAGES}), so that test code is the same as with any other engine.
 * <p>
 * It needs Linux and root (dockerd mounts file systems and creates a bridge). It is started
 * at most once per JVM, and stopped when the JVM exits: containers and networks go with it,
 * and so does everything it created on this machine (its directory, the {@code docker0}
 * bridge, {@code /etc/docker/key.json} and {@code /run/docker}) unless that existed before.
 */
public final class PrivateDockerEngine {

	/** The images built in the engine; the tests name them exactly so. */
	public static final List<LocalImage> IMAGES = List.of(
			new LocalImage("hashicorp/consul:1.8.7", ServerBinary.CONSUL, "bin/consul",
					List.of("ENTRYPOINT [\"/bin/consul\"]", "CMD [\"agent\", \"-dev\", \"-client\", \"0.0.0.0\"]")),
			new LocalImage("quay.io/coreos/etcd:v3.5.16", ServerBinary.ETCD, "usr/local/bin/etcd",
					List.of("ENV PATH=/usr/local/bin", "CMD [\"/usr/local/bin/etcd\"]")));

	private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

	private static final Pattern LIBRARY = Pattern.compile("(/\\S+\\.so[.\\d]*)");

	private static final Path BRIDGE = Path.of("/sys/class/net/docker0");

	private static final List<Path> HOST_STATE = List.of(BRIDGE, Path.of("/etc/docker/key.json"),
			Path.of("/etc/docker"), Path.of("/run/docker"));

	private static PrivateDockerEngine shared;

	private static RuntimeException failure;

	private final Path directory;

	private final Path docker;

	private final List<Path> createdHostState;

	private final Process daemon;

	private PrivateDockerEngine(Path directory, Path docker, List<Path> createdHostState, Process daemon) {
		this.directory = directory;
		this.docker = docker;
		this.createdHostState = createdHostState;
		this.daemon = daemon;
	}

	/**
	 * Says whether this run may start its own engine: {@code CI=true}, Linux and root.
	 * @return whether {@link #shared()} may start one
	 */
	public static boolean permitted() {
		return "true".equalsIgnoreCase(System.getenv("CI"))
				&& System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux") && root();
	}

	/**
	 * Returns this JVM's engine, starting it and building {@link #IMAGES} the first time. A
	 * start that failed is not tried again.
	 * @return the running engine
	 * @throws IllegalStateException if it could not be started; the message says why
	 */
	public static synchronized PrivateDockerEngine shared() {
		if (failure != null) {
			throw failure;
		}
		if (shared == null) {
			try {
				shared = start();
			}
			catch (RuntimeException ex) {
				failure = new IllegalStateException("Could not start a private Docker engine: " + ex.getMessage(), ex);
				throw failure;
			}
			Runtime.getRuntime().addShutdownHook(new Thread(shared::stop, "private-docker-engine-stop"));
		}
		return shared;
	}

	/**
	 * Returns why the engine could not be started, if it was tried and failed.
	 * @return the failure's message, or {@code null} if none
	 */
	public static synchronized String failure() {
		return (failure != null) ? failure.getMessage() : null;
	}

	/**
	 * Returns the engine's API socket.
	 * @return the path of the Unix socket
	 */
	public Path socket() {
		return this.directory.resolve("docker.sock");
	}

	private static PrivateDockerEngine start() {
		Path dockerd = ServerBinary.DOCKERD.resolve();
		Path docker = ServerBinary.DOCKER.resolve();
		Path proxy = ServerBinary.DOCKER_PROXY.resolve();
		List<Path> helpers = List.of(ServerBinary.CONTAINERD.resolve(), ServerBinary.CONTAINERD_SHIM.resolve(),
				ServerBinary.RUNC.resolve(), proxy);
		List<Path> createdHostState = HOST_STATE.stream().filter((path) -> !Files.exists(path)).toList();
		try {
			Path directory = Files.createTempDirectory("discovery-docker-");
			Path config = Files.writeString(directory.resolve("daemon.json"), "{}");
			List<String> command = List.of(dockerd.toString(), "--host=unix://" + directory.resolve("docker.sock"),
					"--data-root=" + directory.resolve("data"), "--exec-root=" + directory.resolve("exec"),
					"--pidfile=" + directory.resolve("dockerd.pid"), "--config-file=" + config, "--iptables=false",
					"--ip-forward=false", "--ip-masq=false", "--ip=127.0.0.1", "--userland-proxy=true",
					"--userland-proxy-path=" + proxy);
			ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(directory.resolve("dockerd.log").toFile());
			List<String> path = new ArrayList<>(helpers.stream().map((helper) -> helper.getParent().toString()).toList());
			path.add(System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin"));
			builder.environment().put("PATH", String.join(":", path));
			PrivateDockerEngine engine = new PrivateDockerEngine(directory, docker, createdHostState, builder.start());
			try {
				engine.awaitReady();
				for (LocalImage image : IMAGES) {
					engine.build(image);
				}
			}
			catch (RuntimeException ex) {
				engine.stop();
				throw ex;
			}
			return engine;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private void awaitReady() {
		try {
			Awaitility.await()
				.atMost(START_TIMEOUT)
				.pollInterval(Duration.ofMillis(200))
				.failFast("dockerd exited", () -> !this.daemon.isAlive())
				.until(() -> Files.exists(socket())
						&& docker(List.of("version", "--format", "{{.Server.Version}}")).exitCode() == 0);
		}
		catch (ConditionTimeoutException | TerminalFailureException ex) {
			throw new IllegalStateException("dockerd did not answer within " + START_TIMEOUT + " (" + ex.getMessage()
					+ "); its log ends:\n" + log(), ex);
		}
	}

	private void build(LocalImage image) {
		try {
			Path root = this.directory.resolve("images").resolve(image.name().replaceAll("[^A-Za-z0-9.-]", "_"));
			Path binary = image.binary().resolve();
			copy(binary, root.resolve(image.pathInImage()));
			for (Path library : libraries(binary)) {
				copy(library, root.resolve(library.toString().substring(1)));
			}
			Files.createDirectories(root.resolve("tmp"));
			Path tar = root.resolveSibling(root.getFileName() + ".tar");
			Result archive = run(List.of("tar", "-C", root.toString(), "-cf", tar.toString(), "."));
			if (archive.exitCode() != 0) {
				throw new IllegalStateException("tar failed for " + image.name() + ": " + archive.output());
			}
			List<String> arguments = new ArrayList<>(List.of("import"));
			image.changes().forEach((change) -> arguments.addAll(List.of("--change", change)));
			arguments.addAll(List.of(tar.toString(), image.name()));
			Result imported = docker(arguments);
			if (imported.exitCode() != 0) {
				throw new IllegalStateException("docker import of " + image.name() + " failed: " + imported.output());
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not build the image " + image.name(), ex);
		}
	}

	private static List<Path> libraries(Path binary) {
		Result ldd = run(List.of("ldd", binary.toString()));
		List<Path> libraries = new ArrayList<>();
		Matcher matcher = LIBRARY.matcher(ldd.output());
		while (matcher.find()) {
			libraries.add(Path.of(matcher.group(1)));
		}
		return libraries;
	}

	private static void copy(Path source, Path target) throws IOException {
		Files.createDirectories(target.getParent());
		Files.copy(source.toRealPath(), target);
		target.toFile().setExecutable(true);
	}

	private synchronized void stop() {
		if (this.daemon.isAlive()) {
			this.daemon.destroy();
			try {
				if (!this.daemon.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
					this.daemon.destroyForcibly().waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		stopOrphanedContainerd();
		List<String> leftovers = new ArrayList<>();
		if (this.createdHostState.contains(BRIDGE) && Files.exists(BRIDGE)
				&& run(List.of("ip", "link", "delete", "docker0")).exitCode() != 0) {
			leftovers.add("the docker0 bridge");
		}
		for (Path path : this.createdHostState) {
			if (!path.equals(BRIDGE) && !delete(path)) {
				leftovers.add(path.toString());
			}
		}
		if (!delete(this.directory)) {
			leftovers.add(this.directory.toString());
		}
		if (!leftovers.isEmpty()) {
			System.err.println("The private Docker engine left behind: " + String.join(", ", leftovers));
		}
	}

	private void stopOrphanedContainerd() {
		Path pidFile = this.directory.resolve("exec/containerd/containerd.pid");
		try {
			if (Files.exists(pidFile)) {
				long pid = Long.parseLong(Files.readString(pidFile).trim());
				ProcessHandle.of(pid).ifPresent((containerd) -> {
					containerd.destroy();
					containerd.onExit().orTimeout(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS).join();
				});
			}
		}
		catch (IOException | RuntimeException ex) {
			System.err.println("Could not stop the private engine's containerd: " + ex);
		}
	}

	private static boolean delete(Path path) {
		if (!Files.exists(path)) {
			return true;
		}
		try (Stream<Path> tree = Files.walk(path)) {
			for (Path each : tree.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(each);
			}
			return true;
		}
		catch (IOException | UncheckedIOException ex) {
			return false;
		}
	}

	private String log() {
		try {
			List<String> lines = Files.readAllLines(this.directory.resolve("dockerd.log"), StandardCharsets.UTF_8);
			return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
		}
		catch (IOException ex) {
			return "(no dockerd log: " + ex.getMessage() + ")";
		}
	}

	private Result docker(List<String> arguments) {
		List<String> command = new ArrayList<>(List.of(this.docker.toString(), "--host", "unix://" + socket()));
		command.addAll(arguments);
		return run(command);
	}

	private static Result run(List<String> command) {
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!process.waitFor(2, TimeUnit.MINUTES)) {
				process.destroyForcibly();
				return new Result(-1, output + "\n(timed out)");
			}
			return new Result(process.exitValue(), output.trim());
		}
		catch (IOException ex) {
			return new Result(-1, "'" + String.join(" ", command) + "' could not run: " + ex.getMessage());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return new Result(-1, "interrupted");
		}
	}

	private static boolean root() {
		try {
			return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
		}
		catch (IOException | UnsupportedOperationException ex) {
			return false;
		}
	}

	/**
	 * An image that the engine builds from one Debian binary and the shared libraries it
	 * needs, with {@code docker import}.
	 *
	 * @param name the image's name and tag, as upstream publishes it
	 * @param binary the executable it runs
	 * @param pathInImage where the executable goes, relative to the image's root
	 * @param changes the Dockerfile instructions that {@code docker import --change} applies
	 */
	public record LocalImage(String name, ServerBinary binary, String pathInImage, List<String> changes) {
	}

	private record Result(int exitCode, String output) {
	}

}
