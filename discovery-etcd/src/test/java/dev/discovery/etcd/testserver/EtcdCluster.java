package dev.discovery.etcd.testserver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import dev.discovery.core.testserver.FreePorts;
import dev.discovery.core.testserver.ServerBinary;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Real etcd 3.5 servers for integration tests: one member or a cluster, on free 127.0.0.1
 * ports with fresh temporary data directories, which {@link #close()} kills and deletes.
 * Members can be killed, paused and restarted on their data directories.
 */
public final class EtcdCluster implements AutoCloseable {

	private static final Duration STARTUP_DEADLINE = Duration.ofSeconds(30);

	private final Path executable;

	private final Path workDir;

	private final List<EtcdMember> members;

	private EtcdCluster(Path executable, Path workDir, List<EtcdMember> members) {
		this.executable = executable;
		this.workDir = workDir;
		this.members = members;
	}

	/**
	 * Starts a cluster of plain-http members and waits until every member is healthy.
	 * @param size how many members
	 * @return the running cluster
	 */
	public static EtcdCluster start(int size) {
		return start(size, "http", List.of());
	}

	/**
	 * Starts a cluster and waits until every member is healthy.
	 * @param size how many members
	 * @param scheme {@code http} or {@code https} for the client URLs
	 * @param extraArguments more etcd flags for every member, for example TLS files
	 * @return the running cluster
	 */
	public static EtcdCluster start(int size, String scheme, List<String> extraArguments) {
		Path executable = ServerBinary.ETCD.resolve();
		Path workDir;
		try {
			workDir = Files.createTempDirectory("discovery-etcd-");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		int[] ports = FreePorts.pick(size * 3);
		List<EtcdMember> members = new ArrayList<>();
		for (int i = 0; i < size; i++) {
			members.add(new EtcdMember("m" + i, new int[] { ports[3 * i], ports[3 * i + 1], ports[3 * i + 2] }, workDir,
					scheme, extraArguments));
		}
		String initialCluster = members.stream().map(EtcdMember::peerEntry).collect(Collectors.joining(","));
		EtcdCluster cluster = new EtcdCluster(executable, workDir, members);
		try {
			members.forEach((member) -> member.start(executable, initialCluster));
			cluster.awaitHealthy();
		}
		catch (RuntimeException ex) {
			cluster.close();
			throw ex;
		}
		return cluster;
	}

	/**
	 * Returns the client URLs of every member.
	 * @return the endpoints
	 */
	public List<String> endpoints() {
		return this.members.stream().map(EtcdMember::clientUrl).toList();
	}

	/**
	 * Returns the members.
	 * @return the members, in start order
	 */
	public List<EtcdMember> members() {
		return List.copyOf(this.members);
	}

	/**
	 * Returns the first member.
	 * @return the member
	 */
	public EtcdMember member() {
		return this.members.get(0);
	}

	/**
	 * Waits until one member is leader and returns it.
	 * @return the leader
	 */
	public EtcdMember awaitLeader() {
		return Awaitility.await("a leader")
			.atMost(STARTUP_DEADLINE)
			.pollInterval(Duration.ofMillis(50))
			.until(() -> this.members.stream().filter(EtcdMember::isLeader).findFirst().orElse(null),
					(leader) -> leader != null);
	}

	/**
	 * Restarts a member that was killed, on its data directory.
	 * @param member the member
	 */
	public void restart(EtcdMember member) {
		member.start(this.executable);
	}

	/**
	 * Waits until every running member is healthy.
	 * @throws IllegalStateException with the members' log tails if the deadline passes
	 */
	public void awaitHealthy() {
		try {
			Awaitility.await("etcd healthy")
				.atMost(STARTUP_DEADLINE)
				.pollInterval(Duration.ofMillis(50))
				.until(() -> this.members.stream().filter(EtcdMember::isRunning).allMatch(EtcdMember::isHealthy));
		}
		catch (ConditionTimeoutException ex) {
			throw new IllegalStateException("etcd did not become healthy:\n" + this.members.stream()
				.map((member) -> member.name() + ":\n" + member.logTail())
				.collect(Collectors.joining("\n")), ex);
		}
	}

	/**
	 * Kills every member and deletes the data directories.
	 */
	@Override
	public void close() {
		this.members.forEach(EtcdMember::kill);
		try (Stream<Path> files = Files.walk(this.workDir)) {
			for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(file);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
