package dev.discovery.core.testserver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Finds the executable of a registry server for integration tests, in this order: an
 * environment variable naming it, the {@code PATH}, then Debian's package of the pinned
 * version, fetched once with {@code apt-get download} through a private sources list and
 * unpacked with {@code dpkg-deb -x} into a cache outside {@code target/} (the system
 * property {@code discovery.server-cache}, default {@code ~/.cache/discovery-test-servers}).
 * Nothing is installed system-wide. The Debian mirror is read from this machine's own apt
 * configuration.
 *
 * @param executable the executable's name, for example {@code etcd}
 * @param environmentVariable the variable that may name the executable, for example {@code ETCD_BIN}
 * @param debianPackage the Debian package that ships it
 * @param version the package version prefix to fetch, for example {@code 3.5.16}
 * @param suite the Debian suite that has that version, for example {@code trixie}
 * @param directory where the package puts the executable, for example {@code usr/bin}
 */
public record ServerBinary(String executable, String environmentVariable, String debianPackage, String version,
		String suite, String directory) {

	/** etcd 3.5.16 from Debian 13. */
	public static final ServerBinary ETCD = new ServerBinary("etcd", "ETCD_BIN", "etcd-server", "3.5.16", "trixie");

	/** etcd's command-line client, etcdctl 3.5.16 from Debian 13. */
	public static final ServerBinary ETCDCTL = new ServerBinary("etcdctl", "ETCDCTL_BIN", "etcd-client", "3.5.16",
			"trixie");

	/** Consul 1.8.7 from Debian 11. */
	public static final ServerBinary CONSUL = new ServerBinary("consul", "CONSUL_BIN", "consul", "1.8.7", "bullseye");

	/** Docker's daemon, dockerd 20.10.24 from Debian 12. */
	public static final ServerBinary DOCKERD = docker("dockerd", "DOCKERD_BIN", "usr/sbin");

	/** Docker's command-line client from the same package as {@link #DOCKERD}. */
	public static final ServerBinary DOCKER = docker("docker", "DOCKER_BIN", "usr/bin");

	/** The proxy that publishes container ports, from the same package as {@link #DOCKERD}. */
	public static final ServerBinary DOCKER_PROXY = docker("docker-proxy", "DOCKER_PROXY_BIN", "usr/sbin");

	/** containerd 1.6.20 from Debian 12, which {@link #DOCKERD} runs containers with. */
	public static final ServerBinary CONTAINERD = new ServerBinary("containerd", "CONTAINERD_BIN", "containerd", "1.6.20",
			"bookworm");

	/** containerd's runc shim from the same package as {@link #CONTAINERD}. */
	public static final ServerBinary CONTAINERD_SHIM = new ServerBinary("containerd-shim-runc-v2",
			"CONTAINERD_SHIM_BIN", "containerd", "1.6.20", "bookworm");

	/** runc 1.1.5 from Debian 12. */
	public static final ServerBinary RUNC = new ServerBinary("runc", "RUNC_BIN", "runc", "1.1.5", "bookworm",
			"usr/sbin");

	private static final String KEYRING = "/usr/share/keyrings/debian-archive-keyring.gpg";

	/**
	 * Describes an executable that its package puts in {@code usr/bin}.
	 * @param executable the executable's name
	 * @param environmentVariable the variable that may name the executable
	 * @param debianPackage the Debian package that ships it
	 * @param version the package version prefix to fetch
	 * @param suite the Debian suite that has that version
	 */
	public ServerBinary(String executable, String environmentVariable, String debianPackage, String version,
			String suite) {
		this(executable, environmentVariable, debianPackage, version, suite, "usr/bin");
	}

	private static ServerBinary docker(String executable, String environmentVariable, String directory) {
		return new ServerBinary(executable, environmentVariable, "docker.io", "20.10.24", "bookworm", directory);
	}

	/**
	 * Finds or fetches the executable.
	 * @return the path of a runnable executable
	 * @throws IllegalStateException if it can be neither found nor fetched; the message says
	 * what to set
	 */
	public Path resolve() {
		String fromEnvironment = System.getenv(this.environmentVariable);
		if (fromEnvironment != null && !fromEnvironment.isBlank()) {
			Path path = Path.of(fromEnvironment);
			if (!Files.isExecutable(path)) {
				throw new IllegalStateException(this.environmentVariable + "=" + fromEnvironment + " is not an executable file");
			}
			return path;
		}
		return onPath().orElseGet(this::fromDebianPackage);
	}

	private Optional<Path> onPath() {
		String path = System.getenv("PATH");
		if (path == null) {
			return Optional.empty();
		}
		return Stream.of(path.split(java.io.File.pathSeparator))
			.filter((dir) -> !dir.isBlank())
			.map((dir) -> Path.of(dir, this.executable))
			.filter(Files::isExecutable)
			.findFirst();
	}

	private Path fromDebianPackage() {
		Path cache = Path.of(System.getProperty("discovery.server-cache",
				System.getProperty("user.home") + "/.cache/discovery-test-servers"));
		Path unpacked = cache.resolve(this.debianPackage + "-" + this.version);
		Path binary = unpacked.resolve(this.directory).resolve(this.executable);
		try {
			Files.createDirectories(cache);
			try (FileChannel channel = FileChannel.open(cache.resolve(".lock"), StandardOpenOption.CREATE,
					StandardOpenOption.WRITE); FileLock lock = channel.lock()) {
				if (!Files.isExecutable(binary)) {
					fetch(cache, unpacked);
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not fetch " + describe() + " into " + cache, ex);
		}
		if (!Files.isExecutable(binary)) {
			throw new IllegalStateException(describe() + " did not contain " + binary);
		}
		return binary;
	}

	private void fetch(Path cache, Path unpacked) throws IOException {
		Path apt = cache.resolve("apt");
		Path debs = apt.resolve("debs").resolve(this.debianPackage);
		Files.createDirectories(apt.resolve("lists/partial"));
		Files.createDirectories(apt.resolve("cache/archives/partial"));
		Files.createDirectories(debs);
		Path sources = apt.resolve(this.suite + ".list");
		Files.writeString(sources, "deb [signed-by=" + KEYRING + "] " + debianMirror() + " " + this.suite + " main\n");
		List<String> options = List.of("-o", "Dir::Etc::SourceList=" + sources, "-o", "Dir::Etc::SourceParts=/dev/null",
				"-o", "Dir::State::Lists=" + apt.resolve("lists"), "-o", "Dir::Cache=" + apt.resolve("cache"), "-o",
				"Debug::NoLocking=1", "-o", "APT::Sandbox::User=root");
		run(apt, command("apt-get", options, "update"));
		try (Stream<Path> old = Files.list(debs)) {
			for (Path stale : old.toList()) {
				Files.delete(stale);
			}
		}
		run(debs, command("apt-get", options, "download", this.debianPackage + "=" + this.version + "*"));
		Path deb;
		try (Stream<Path> found = Files.list(debs)) {
			deb = found.filter((file) -> file.toString().endsWith(".deb"))
				.findFirst()
				.orElseThrow(() -> new IllegalStateException("apt-get download left no .deb for " + describe()));
		}
		run(cache, List.of("dpkg-deb", "-x", deb.toString(), unpacked.toString()));
	}

	private static List<String> command(String program, List<String> options, String... arguments) {
		List<String> command = new ArrayList<>();
		command.add(program);
		command.addAll(options);
		command.addAll(List.of(arguments));
		return command;
	}

	private void run(Path directory, List<String> command) throws IOException {
		Path log = Files.createTempFile("discovery-fetch-", ".log");
		Process process = new ProcessBuilder(command).directory(directory.toFile())
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		try {
			if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
				process.destroyForcibly();
				throw new IllegalStateException("Could not fetch " + describe() + ": '" + String.join(" ", command)
						+ "' failed:\n" + Files.readString(log, StandardCharsets.UTF_8)
						+ "\nSet " + this.environmentVariable + " to an installed " + this.executable + " instead.");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while fetching " + describe(), ex);
		}
		finally {
			Files.deleteIfExists(log);
		}
	}

	private static String debianMirror() throws IOException {
		for (Path config : List.of(Path.of("/etc/apt/sources.list.d/debian.sources"), Path.of("/etc/apt/sources.list"))) {
			if (!Files.isReadable(config)) {
				continue;
			}
			for (String line : Files.readAllLines(config)) {
				String trimmed = line.trim();
				if (trimmed.startsWith("URIs:") && trimmed.endsWith("/debian")) {
					return trimmed.substring("URIs:".length()).trim();
				}
				if (trimmed.startsWith("deb ")) {
					for (String word : trimmed.split("\\s+")) {
						if (word.contains("://") && word.endsWith("/debian")) {
							return word;
						}
					}
				}
			}
		}
		throw new IllegalStateException("No Debian mirror found in this machine's apt configuration");
	}

	private String describe() {
		return "Debian package " + this.debianPackage + " " + this.version + " (" + this.suite + ")";
	}

}
