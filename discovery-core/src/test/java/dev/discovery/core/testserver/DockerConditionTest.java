package dev.discovery.core.testserver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which configurations make {@link DockerCondition} ask Testcontainers for an engine rather
 * than skip at once.
 */
class DockerConditionTest {

	@TempDir
	Path root;

	@TempDir
	Path home;

	private boolean configured(Map<String, String> environment) {
		return DockerCondition.engineConfigured(environment, this.root, this.home);
	}

	@Test
	void nothingConfiguredMeansNoEngine() {
		assertThat(configured(Map.of())).isFalse();
		assertThat(configured(Map.of("XDG_RUNTIME_DIR", this.home.toString()))).isFalse();
	}

	@Test
	void theSystemSocketCounts() throws IOException {
		Files.createDirectories(this.root.resolve("var/run"));
		Files.createFile(this.root.resolve("var/run/docker.sock"));
		assertThat(configured(Map.of())).isTrue();
	}

	@Test
	void dockerHostOrHostOverrideCounts() {
		assertThat(configured(Map.of("DOCKER_HOST", "tcp://127.0.0.1:2375"))).isTrue();
		assertThat(configured(Map.of("TESTCONTAINERS_HOST_OVERRIDE", "127.0.0.1"))).isTrue();
	}

	@Test
	void aDesktopOrRootlessSocketOrTestcontainersConfigurationCounts() throws IOException {
		for (String file : new String[] { ".docker/run/docker.sock", ".testcontainers.properties" }) {
			Path home = Files.createDirectories(this.home.resolve(file.replace('/', '_')));
			Files.createDirectories(home.resolve(file).getParent());
			Files.createFile(home.resolve(file));
			assertThat(DockerCondition.engineConfigured(Map.of(), this.root, home)).as(file).isTrue();
		}
		Path runtime = Files.createDirectories(this.home.resolve("run"));
		Files.createFile(runtime.resolve("docker.sock"));
		assertThat(configured(Map.of("XDG_RUNTIME_DIR", runtime.toString()))).isTrue();
	}

}
