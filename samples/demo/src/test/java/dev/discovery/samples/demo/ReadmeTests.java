package dev.discovery.samples.demo;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.discovery.core.InstanceStatus;
import dev.discovery.spring.autoconfigure.DiscoveryProperties;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.handler.NoUnboundElementsBindHandler;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ByteArrayResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps README.md honest: every YAML block binds to the properties it names, every Java
 * block is a verbatim excerpt of a sample's source, the properties table lists exactly the
 * starter's configuration metadata with its defaults, the Maven coordinates are this
 * build's, and the commands are the ones the build runs.
 */
class ReadmeTests {

	private static final Pattern BLOCK = Pattern.compile("(?ms)^ *```(\\w+)\\n(.*?)^ *```");

	private static final Pattern TABLE_ROW = Pattern.compile("(?m)^\\| (`discovery\\.[^|]*) \\| ([^|]*) \\|");

	private final Path samples = Path.of(System.getProperty("samples.dir", "..")).toAbsolutePath().normalize();

	private final String readme = read(this.samples.resolve("../README.md"));

	/**
	 * Checks that every YAML block binds: {@code discovery.*} to the starter's properties,
	 * and everything else to properties in the class path's configuration metadata. A block
	 * that configures what is not on this class path, such as Spring Cloud Gateway's routes,
	 * must instead be an excerpt of a sample's configuration, which the sample runs with.
	 */
	@Test
	void everyYamlBlockBindsToKnownProperties() throws IOException {
		Set<String> known = knownPropertyNames();
		List<List<String>> configurations = sampleFiles("/src/main/resources/", ".yml");
		List<String> blocks = blocks("yaml");
		assertThat(blocks).hasSizeGreaterThanOrEqualTo(5);
		for (String yaml : blocks) {
			List<PropertySource<?>> sources = new YamlPropertySourceLoader().load("README",
					new ByteArrayResource(yaml.getBytes(StandardCharsets.UTF_8)));
			assertThat(sources).as(yaml).hasSize(1);
			Binder binder = new Binder(ConfigurationPropertySources.from(sources.get(0)));
			binder.bind("discovery", Bindable.of(DiscoveryProperties.class),
					new NoUnboundElementsBindHandler(BindHandler.DEFAULT));
			List<String> unknown = Stream.of(((EnumerablePropertySource<?>) sources.get(0)).getPropertyNames())
				.filter((name) -> !name.startsWith("discovery.") && !known.contains(name))
				.toList();
			if (!unknown.isEmpty()) {
				assertExcerpt(configurations, yaml, "properties %s are not in the configuration metadata, so a sample's"
						+ " configuration must contain the README block, line by line".formatted(unknown));
			}
		}
	}

	@Test
	void everyJavaBlockIsAnExcerptOfASampleSource() throws IOException {
		List<List<String>> sources = sampleFiles("/src/", ".java");
		List<String> blocks = blocks("java");
		assertThat(blocks).hasSizeGreaterThanOrEqualTo(5);
		for (String block : blocks) {
			assertExcerpt(sources, block, "a sample source must contain, line by line");
		}
	}

	@Test
	void propertiesTableListsTheConfigurationMetadataWithItsDefaults() throws IOException {
		Map<String, String> documented = new LinkedHashMap<>();
		Matcher row = TABLE_ROW.matcher(this.readme);
		while (row.find()) {
			List<String> names = expandNames(row.group(1));
			String defaultCell = row.group(2).trim();
			names.forEach((name) -> documented.put(name, (names.size() == 1) ? defaultCell : ""));
		}
		Map<String, JsonNode> metadata = new HashMap<>();
		Stream.of(starterMetadata(), springCloudBridgeMetadata())
			.flatMap((file) -> file.get("properties").valueStream())
			.forEach((property) -> {
				String name = property.get("name").asString();
				if (name.startsWith("discovery.") && !name.startsWith("discovery.load-balancer.services.")) {
					metadata.put(name, property);
				}
			});
		documented.put("discovery.load-balancer.services",
				documented.remove("discovery.load-balancer.services.<service>.*"));
		assertThat(new TreeSet<>(documented.keySet())).isEqualTo(new TreeSet<>(metadata.keySet()));
		metadata.forEach((name, property) -> {
			JsonNode defaultValue = property.get("defaultValue");
			String cell = documented.get(name);
			if (defaultValue != null && defaultValue.isValueNode() && cell.matches("`[^`]*`")) {
				assertThat(cell).as("default of %s", name).isEqualTo("`" + defaultValue.asString() + "`");
			}
		});
	}

	@Test
	void mavenCoordinatesAreThisBuildsModules() {
		Matcher dependency = Pattern
			.compile("<groupId>([^<]+)</groupId>\\s*<artifactId>([^<]+)</artifactId>\\s*<version>([^<]+)</version>")
			.matcher(String.join("\n", blocks("xml")));
		int count = 0;
		while (dependency.find()) {
			count++;
			assertThat(dependency.group(1)).isEqualTo("dev.discovery");
			assertThat(this.samples.resolve("..").resolve(dependency.group(2)).resolve("pom.xml")).exists();
			assertThat(dependency.group(3)).isEqualTo(System.getProperty("project.version"));
		}
		assertThat(count).isEqualTo(4);
	}

	@Test
	void commandsAreTheOnesTheBuildRuns() {
		String commands = String.join("\n", blocks("bash"));
		assertThat(commands).contains("./mvnw -q -pl samples/demo -am -DskipTests package exec:java",
				"./mvnw -B verify", "samples/run-with-registry.sh etcd");
		assertThat(read(this.samples.resolve("../.ci/run"))).contains("./mvnw -B verify");
		assertThat(this.samples.resolve("run-with-registry.sh")).isExecutable();
		Matcher status = Pattern.compile("-d '\\{\"status\":\"(\\w+)\"}'").matcher(commands);
		List<String> statuses = new ArrayList<>();
		while (status.find()) {
			statuses.add(InstanceStatus.valueOf(status.group(1)).name());
		}
		assertThat(statuses).containsExactly("OUT_OF_SERVICE", "UP");
	}

	private List<String> blocks(String language) {
		List<String> blocks = new ArrayList<>();
		Matcher block = BLOCK.matcher(this.readme);
		while (block.find()) {
			if (block.group(1).equals(language)) {
				blocks.add(block.group(2).stripIndent());
			}
		}
		return blocks;
	}

	private static List<String> expandNames(String cell) {
		String[] parts = cell.split(" / ");
		String first = parts[0].replace("`", "");
		List<String> names = new ArrayList<>(List.of(first));
		String prefix = first.substring(0, first.lastIndexOf('.') + 1);
		for (int i = 1; i < parts.length; i++) {
			names.add(prefix + parts[i].replace("`", ""));
		}
		return names;
	}

	private List<List<String>> sampleFiles(String directory, String suffix) throws IOException {
		try (Stream<Path> files = Files.walk(this.samples)) {
			return files.filter((file) -> file.toString().endsWith(suffix) && file.toString().contains(directory))
				.map((file) -> significantLines(read(file)))
				.toList();
		}
	}

	private static void assertExcerpt(List<List<String>> files, String block, String description) {
		List<String> excerpt = significantLines(block);
		assertThat(files).as("%s:%n%s", description, block)
			.anySatisfy((file) -> assertThat(Collections.indexOfSubList(file, excerpt)).isNotNegative());
	}

	private static List<String> significantLines(String text) {
		return text.lines().map(String::strip).filter((line) -> !line.isEmpty() && !line.startsWith("#")).toList();
	}

	/**
	 * Returns the configuration metadata of the starter on the class path.
	 * @return the parsed {@code spring-configuration-metadata.json}
	 * @throws IOException if it cannot be read
	 */
	static JsonNode starterMetadata() throws IOException {
		JsonMapper json = JsonMapper.builder().build();
		for (URL url : Collections.list(ReadmeTests.class.getClassLoader()
			.getResources("META-INF/spring-configuration-metadata.json"))) {
			try (InputStream in = url.openStream()) {
				JsonNode metadata = json.readTree(in);
				if (metadata.get("groups").valueStream().anyMatch((group) -> group.get("name").asString().equals("discovery"))) {
					return metadata;
				}
			}
		}
		throw new IllegalStateException("No configuration metadata of the starter on the class path");
	}

	/**
	 * Returns the configuration metadata that discovery-spring-cloud adds, read from its
	 * source: the bridge is not on the demo's class path, since it would change the
	 * applications the demo runs.
	 * @return the parsed {@code additional-spring-configuration-metadata.json}
	 */
	private JsonNode springCloudBridgeMetadata() {
		return JsonMapper.builder()
			.build()
			.readTree(read(this.samples.resolve(
					"../discovery-spring-cloud/src/main/resources/META-INF/additional-spring-configuration-metadata.json")));
	}

	private static Set<String> knownPropertyNames() throws IOException {
		Set<String> names = new TreeSet<>();
		JsonMapper json = JsonMapper.builder().build();
		for (URL url : Collections.list(ReadmeTests.class.getClassLoader()
			.getResources("META-INF/spring-configuration-metadata.json"))) {
			try (InputStream in = url.openStream()) {
				json.readTree(in).get("properties").forEach((property) -> names.add(property.get("name").asString()));
			}
		}
		return names;
	}

	private static String read(Path file) {
		try {
			return Files.readString(file);
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot read " + file, ex);
		}
	}

}
