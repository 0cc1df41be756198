package dev.discovery.spring.autoconfigure;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

class ConfigurationMetadataTests {

	@Test
	@SuppressWarnings("unchecked")
	void everyDiscoveryPropertyIsDescribedForIdes() throws Exception {
		Map<String, Object> metadata;
		try (InputStream json = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
			metadata = JsonMapper.builder().build().readValue(json, Map.class);
		}
		List<Map<String, Object>> properties = ((List<Map<String, Object>>) metadata.get("properties")).stream()
			.filter((property) -> ((String) property.get("name")).startsWith("discovery."))
			.toList();

		assertThat(properties).hasSizeGreaterThan(30);
		assertThat(properties).allSatisfy((property) -> assertThat((String) property.get("description"))
			.as("description of %s", property.get("name"))
			.isNotBlank());
		assertThat(properties).filteredOn((property) -> property.get("name").equals("discovery.etcd.endpoints"))
			.singleElement()
			.extracting((property) -> property.get("defaultValue"))
			.isEqualTo(List.of("http://127.0.0.1:2379"));
	}

	@Test
	void everyAutoConfigurationHasItsConditionsInBootsMetadata() throws Exception {
		List<String> autoConfigurations;
		try (InputStream imports = getClass()
			.getResourceAsStream("/META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports")) {
			autoConfigurations = new String(imports.readAllBytes(), StandardCharsets.UTF_8).lines()
				.filter((line) -> !line.isBlank())
				.toList();
		}
		Properties metadata = new Properties();
		try (InputStream properties = getClass().getResourceAsStream("/META-INF/spring-autoconfigure-metadata.properties")) {
			assertThat(properties).as("spring-boot-autoconfigure-processor's output").isNotNull();
			metadata.load(properties);
		}

		assertThat(autoConfigurations).hasSizeGreaterThan(5).allSatisfy((name) -> assertThat(metadata).containsKey(name));
		assertThat(metadata).containsEntry(DiscoveryGrpcAutoConfiguration.class.getName() + ".ConditionalOnClass",
				"dev.discovery.grpc.DiscoveryNameResolverProvider");
	}

}
