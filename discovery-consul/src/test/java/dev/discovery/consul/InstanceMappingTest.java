package dev.discovery.consul;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.discovery.consul.ConsulBackend.CheckType;
import dev.discovery.core.InstanceStatus;
import dev.discovery.core.ServiceInstance;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class InstanceMappingTest {

	private static final CheckSettings TTL = new CheckSettings(CheckType.TTL, Duration.ofSeconds(9), "/health", null,
			null, Duration.ofSeconds(10), false, 3, 1, Duration.ofMinutes(2));

	@Test
	void registrationCarriesEverythingAndAlwaysDeregisterCriticalServiceAfter() {
		ServiceInstance instance = ServiceInstance.builder("orders", "10.0.0.1", 8080)
			.secure(true)
			.zone("z1")
			.weight(5)
			.tag("t")
			.metadata("k", "v")
			.status(InstanceStatus.STARTING)
			.build();

		ConsulJson.ServiceRegistration registration = InstanceMapping.registration(instance, TTL.definition(instance));

		assertThat(registration.meta()).containsExactlyInAnyOrderEntriesOf(
				Map.of("k", "v", "secure", "true", "zone", "z1", "weight", "5"));
		assertThat(registration.weights().passing()).isEqualTo(5);
		assertThat(registration.check().ttl()).isEqualTo("9000ms");
		assertThat(registration.check().status()).isEqualTo("critical");
		assertThat(registration.check().deregisterCriticalServiceAfter()).isEqualTo("120000ms");
		CheckSettings http = new CheckSettings(CheckType.HTTP, Duration.ofSeconds(9), "/health", null, null,
				Duration.ofSeconds(3), false, 3, 1, Duration.ofMinutes(1));
		assertThat(http.definition(instance).http()).isEqualTo("https://10.0.0.1:8080/health");
		assertThat(http.definition(instance).deregisterCriticalServiceAfter()).isEqualTo("60000ms");
		assertThat(http.definition(instance).tlsSkipVerify()).isNull();
		assertThat(registration.check().tlsSkipVerify()).isNull();
		assertThat(http.definition(instance).failuresBeforeCritical()).isEqualTo(3);
		assertThat(http.definition(instance).successBeforePassing()).isEqualTo(1);
		assertThat(registration.check().failuresBeforeCritical()).isNull();
		assertThat(registration.check().successBeforePassing()).isNull();
		CheckSettings selfSigned = new CheckSettings(CheckType.HTTP, Duration.ofSeconds(9), "/health", null, null,
				Duration.ofSeconds(3), true, 3, 1, Duration.ofMinutes(1));
		assertThat(selfSigned.definition(instance).tlsSkipVerify()).isTrue();
	}

	@Test
	void httpCheckOnAPortOfItsOwnKeepsTheInstancesSchemeAndHost() {
		CheckSettings management = new CheckSettings(CheckType.HTTP, Duration.ofSeconds(9), "/manage/health", 8081,
				null, Duration.ofSeconds(3), false, 3, 1, Duration.ofMinutes(1));
		ServiceInstance ipv6 = ServiceInstance.builder("orders", "fd00::2", 8443).secure(true).build();
		ServiceInstance named = ServiceInstance.builder("orders", "orders-1.internal", 8080).build();

		assertThat(management.definition(ipv6).http()).isEqualTo("https://[fd00::2]:8081/manage/health");
		assertThat(management.definition(named).http()).isEqualTo("http://orders-1.internal:8081/manage/health");
		CheckSettings plainManagement = new CheckSettings(CheckType.HTTP, Duration.ofSeconds(9), "/manage/health", 8081,
				false, Duration.ofSeconds(3), false, 3, 1, Duration.ofMinutes(1));
		assertThat(plainManagement.definition(ipv6).http()).isEqualTo("http://[fd00::2]:8081/manage/health");
	}

	@Test
	void tooManyMetaKeysFailBeforeReachingTheAgent() {
		Map<String, String> metadata = new LinkedHashMap<>();
		for (int i = 0; i < 64; i++) {
			metadata.put("k" + i, "v");
		}
		ServiceInstance full = ServiceInstance.builder("orders", "10.0.0.1", 8080).metadata(metadata).build();
		ServiceInstance fullAndSecure = full.toBuilder().secure(true).build();

		assertThat(InstanceMapping.registration(full, TTL.definition(full)).meta()).hasSize(64);
		assertThatIllegalArgumentException()
			.isThrownBy(() -> InstanceMapping.registration(fullAndSecure, TTL.definition(fullAndSecure)))
			.withMessageContaining("metadata")
			.withMessageContaining("at most 63 entries");
	}

	@Test
	void healthEntryReadsBackWithoutReservedKeysAndSkipsForeignInvalidEntries() {
		ConsulJson.Service service = new ConsulJson.Service("a-1", "orders", "", 8080, List.of("t"),
				Map.of("k", "v", InstanceMapping.ZONE_KEY, "z1"), new ConsulJson.Weights(3, 1));
		ConsulJson.HealthEntry entry = new ConsulJson.HealthEntry(new ConsulJson.Node("10.0.0.2"), service, List.of());
		ConsulJson.HealthEntry foreign = new ConsulJson.HealthEntry(null,
				new ConsulJson.Service("bad id!", "orders", "10.0.0.3", 1, null, null, null), null);

		List<ServiceInstance> instances = InstanceMapping.instances(List.of(entry, foreign));

		assertThat(instances).containsExactly(ServiceInstance.builder("orders", "10.0.0.2", 8080)
			.id("a-1")
			.zone("z1")
			.weight(3)
			.tag("t")
			.metadata("k", "v")
			.build());
	}

	@Test
	void springCloudConsulKeysAreReadAndEarlierVersionsKeysStillAre() {
		ConsulJson.Service springCloud = new ConsulJson.Service("sc-1", "orders", "10.0.0.4", 8443, List.of(),
				Map.of("secure", "true", "zone", "eu-1", "weight", "7", "group", "g"), new ConsulJson.Weights(1, 1));
		ConsulJson.Service earlier = new ConsulJson.Service("old-1", "orders", "10.0.0.5", 8443, List.of(),
				Map.of("discovery-secure", "true", "discovery-zone", "eu-2"), new ConsulJson.Weights(4, 1));

		List<ServiceInstance> instances = InstanceMapping.instances(List.of(
				new ConsulJson.HealthEntry(null, springCloud, List.of()), new ConsulJson.HealthEntry(null, earlier, List.of())));

		assertThat(instances).containsExactly(
				ServiceInstance.builder("orders", "10.0.0.4", 8443).id("sc-1").secure(true).zone("eu-1").weight(7)
					.metadata("group", "g").build(),
				ServiceInstance.builder("orders", "10.0.0.5", 8443).id("old-1").secure(true).zone("eu-2").weight(4).build());
	}

	@Test
	void defaultsTakeNoMetaKeysAndMetadataCannotShadowTheKeysOfFields() {
		ServiceInstance plain = ServiceInstance.builder("orders", "10.0.0.1", 8080).build();
		ServiceInstance shadowing = plain.toBuilder().metadata("zone", "z9").build();

		assertThat(InstanceMapping.registration(plain, TTL.definition(plain)).meta()).isEmpty();
		assertThatIllegalArgumentException()
			.isThrownBy(() -> InstanceMapping.registration(shadowing, TTL.definition(shadowing)))
			.withMessageContaining("metadata key")
			.withMessageContaining("'zone'")
			.withMessageContaining("reserved");
	}

}
