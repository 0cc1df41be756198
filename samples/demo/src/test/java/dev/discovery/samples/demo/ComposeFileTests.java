package dev.discovery.samples.demo;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks what can be checked of {@code samples/compose.yaml} without Docker: every sample
 * application is in it, the main classes it builds exist in the sample it names, and every
 * {@code DISCOVERY_*} variable it sets is a starter property.
 */
class ComposeFileTests {

	private final Path samples = Path.of(System.getProperty("samples.dir", "..")).toAbsolutePath().normalize();

	@Test
	@SuppressWarnings("unchecked")
	void applicationsAndPropertiesExist() throws Exception {
		Map<String, Object> compose;
		try (InputStream in = Files.newInputStream(this.samples.resolve("compose.yaml"))) {
			compose = new Yaml(new LoaderOptions()).load(in);
		}
		Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>) compose.get("services");
		assertThat(services).containsKeys("etcd", "consul", "greeting-service-1", "greeting-service-2",
				"greeting-client", "gateway", "gateway-mvc");
		Set<String> variables = starterPropertiesAsVariables();
		for (String name : Set.of("greeting-service-1", "greeting-service-2", "greeting-client", "gateway",
				"gateway-mvc")) {
			Map<String, Object> service = services.get(name);
			Map<String, Object> args = (Map<String, Object>) ((Map<String, Object>) service.get("build")).get("args");
			Path application = this.samples.resolve((String) args.get("APP"));
			assertThat(application.resolve("pom.xml")).exists();
			assertThat(application.resolve("src/main/java")
				.resolve(((String) args.get("MAIN")).replace('.', '/') + ".java")).as("the main class of %s", name)
				.exists();
			Map<String, Object> environment = (Map<String, Object>) service.get("environment");
			assertThat(environment).containsKeys("SPRING_PROFILES_ACTIVE", "DISCOVERY_INSTANCE_HOST");
			environment.keySet()
				.stream()
				.filter((variable) -> variable.startsWith("DISCOVERY_"))
				.forEach((variable) -> assertThat(variables).as(variable).contains(variable));
		}
	}

	private static Set<String> starterPropertiesAsVariables() throws IOException {
		return ReadmeTests.starterMetadata()
			.get("properties")
			.valueStream()
			.map((property) -> property.get("name").asString().replaceAll("[.-]", "_").toUpperCase(Locale.ROOT))
			.collect(Collectors.toSet());
	}

}
