package dev.discovery.core.testserver;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;

/**
 * The condition behind {@link RequiresDocker}. A test class is enabled when Testcontainers
 * reaches an engine, either one it finds itself or the {@link PrivateDockerEngine} where
 * that may be started. With {@code CI=true} a class that cannot get an engine fails, with
 * the reason. Otherwise it is skipped when no engine is configured, without asking
 * Testcontainers (which would log its whole search), and the reason is printed once per JVM.
 */
public final class DockerCondition implements ExecutionCondition {

	/** How to run the tests that this condition skipped; the one line printed. */
	public static final String HOW_TO_RUN = "Skipping the tests that need Docker: no engine is reachable"
			+ " (DOCKER_HOST, /var/run/docker.sock). Start one, or run 'CI=true ./mvnw verify' as root on Linux"
			+ " to let the tests start a private one.";

	private static final AtomicBoolean printed = new AtomicBoolean();

	@Override
	public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
		boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
		if ((ci || engineConfigured(System.getenv(), Path.of("/"), Path.of(System.getProperty("user.home"))))
				&& DockerClientFactory.instance().isDockerAvailable()) {
			return ConditionEvaluationResult.enabled("a Docker engine is reachable");
		}
		if (ci) {
			String privateEngine = PrivateDockerEngine.permitted()
					? "the private engine could not be started: " + PrivateDockerEngine.failure()
					: "a private engine is started only as root on Linux";
			throw new IllegalStateException("CI=true and no Docker engine: none is reachable (DOCKER_HOST, "
					+ "/var/run/docker.sock), and " + privateEngine);
		}
		if (printed.compareAndSet(false, true)) {
			System.err.println(HOW_TO_RUN);
		}
		return ConditionEvaluationResult.disabled(HOW_TO_RUN);
	}

	/**
	 * Says whether anything tells Testcontainers where an engine is: {@code DOCKER_HOST},
	 * its own configuration, or the socket of a local, Desktop, rootless, Colima or Rancher
	 * Desktop engine.
	 * @param environment the environment variables
	 * @param root the file system root, where {@code var/run/docker.sock} is looked for
	 * @param home the user's home directory
	 * @return whether an engine may be reachable
	 */
	static boolean engineConfigured(Map<String, String> environment, Path root, Path home) {
		if (Stream.of("DOCKER_HOST", "TESTCONTAINERS_HOST_OVERRIDE").anyMatch(environment::containsKey)) {
			return true;
		}
		String runtimeDirectory = environment.getOrDefault("XDG_RUNTIME_DIR", "/nonexistent");
		return Stream.of(root.resolve("var/run/docker.sock"), Path.of(runtimeDirectory, "docker.sock"),
				home.resolve(".testcontainers.properties"), home.resolve(".docker/run/docker.sock"),
				home.resolve(".docker/desktop/docker.sock"), home.resolve(".colima/default/docker.sock"),
				home.resolve(".rd/docker.sock"))
			.anyMatch(Files::exists);
	}

}
