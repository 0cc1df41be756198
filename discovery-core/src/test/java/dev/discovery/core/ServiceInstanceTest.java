package dev.discovery.core;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ServiceInstanceTest {

	@Test
	void builderFillsDefaults() {
		ServiceInstance instance = ServiceInstance.builder("Orders", "10.0.0.1", 8080).build();

		assertThat(instance.service()).isEqualTo("orders");
		assertThat(instance.id()).isEqualTo("orders-10.0.0.1-8080");
		assertThat(instance.status()).isEqualTo(InstanceStatus.UP);
		assertThat(instance.weight()).isEqualTo(1);
		assertThat(instance.secure()).isFalse();
		assertThat(instance.zone()).isNull();
		assertThat(instance.uri()).hasToString("http://10.0.0.1:8080");
	}

	@Test
	void uriBracketsIpv6AndHonoursSecure() {
		ServiceInstance instance = ServiceInstance.builder("orders", "::1", 8443).secure(true).build();

		assertThat(instance.uri()).hasToString("https://[::1]:8443");
		assertThat(instance.id()).isEqualTo("orders---1-8443");
	}

	@Test
	void collectionsAreCopiedAndImmutable() {
		Map<String, String> metadata = new HashMap<>(Map.of("version", "2"));
		ServiceInstance instance = ServiceInstance.builder("orders", "h", 1).metadata(metadata).tag("blue").build();
		metadata.put("other", "x");

		assertThat(instance.metadata()).containsOnlyKeys("version");
		assertThat(instance.tags()).containsExactly("blue");
		assertThat(instance.withStatus(InstanceStatus.DOWN).metadata()).isEqualTo(instance.metadata());
	}

	@Test
	void instancesShareWhatTheyHaveInCommon() {
		ServiceInstance first = ServiceInstance.builder(new String("orders"), new String("10.0.0.1"), 8080)
			.zone(new String("eu-1"))
			.tag(new String("blue"))
			.metadata(new String("version"), "2")
			.build();
		ServiceInstance second = new ServiceInstance(new String("orders"), "orders-2", new String("10.0.0.1"), 8081, false,
				new String("eu-1"), 1, Set.of(new String("blue")), Map.of(new String("version"), "3"), InstanceStatus.UP);

		assertThat(second.service()).isSameAs(first.service());
		assertThat(second.host()).isSameAs(first.host());
		assertThat(second.zone()).isSameAs(first.zone());
		assertThat(second.tags().iterator().next()).isSameAs(first.tags().iterator().next());
		assertThat(second.metadata().keySet().iterator().next()).isSameAs(first.metadata().keySet().iterator().next());
	}

	@Test
	void emptyTagsAndMetadataAreTheSharedEmptyCollections() {
		ServiceInstance instance = new ServiceInstance("orders", "o-1", "h", 1, false, null, 1, new HashSet<>(),
				new HashMap<>(), InstanceStatus.UP);

		assertThat(instance.tags()).isSameAs(Set.of());
		assertThat(instance.metadata()).isSameAs(Map.of());
		assertThat(ServiceInstance.builder("orders", "h", 2).build().tags()).isSameAs(Set.of());
	}

	@Test
	void tagsAndMetadataKeepTheirSortedOrder() {
		ServiceInstance instance = ServiceInstance.builder("orders", "h", 1)
			.tags(List.of("green", "blue", "red"))
			.metadata(Map.of("zeta", "1", "alpha", "2"))
			.build();

		assertThat(instance.tags()).containsExactly("blue", "green", "red");
		assertThat(instance.metadata().keySet()).containsExactly("alpha", "zeta");
	}

	@Test
	void withStatusReturnsTheSameInstanceWhenNothingChanges() {
		ServiceInstance instance = ServiceInstance.builder("orders", "h", 1).build();

		assertThat(instance.withStatus(InstanceStatus.UP)).isSameAs(instance);
		assertThat(instance.withStatus(InstanceStatus.DOWN).status()).isEqualTo(InstanceStatus.DOWN);
	}

	@ParameterizedTest
	@ValueSource(strings = { "a/b", "..", "a..b", "has space", "", "-leading", "caf\u00e9", "\u0000nul", "%2F" })
	void invalidServiceNamesAreRejected(String name) {
		assertThatIllegalArgumentException().isThrownBy(() -> ServiceInstance.builder(name, "h", 1).build())
			.withMessageStartingWith("Invalid service name ")
			.withMessageContaining("must be 1-63 characters of [A-Za-z0-9._-]");
	}

	@Test
	void serviceNameOf64CharactersIsRejectedAnd63Accepted() {
		String name63 = "a".repeat(63);

		assertThat(ServiceInstance.builder(name63, "h", 1).id("x").build().service()).isEqualTo(name63);
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ServiceInstance.builder(name63 + "a", "h", 1).id("x").build())
			.withMessage("Invalid service name '" + "a".repeat(40) + "'... (64 characters): "
					+ "must be 1-63 characters of [A-Za-z0-9._-], start with a letter or digit, and not contain '..'");
	}

	@Test
	void nonAsciiValuesAreEscapedInTheMessage() {
		assertThatIllegalArgumentException().isThrownBy(() -> ServiceInstance.builder("caf\u00e9", "h", 1).build())
			.withMessageStartingWith("Invalid service name 'caf\\u00E9'");
	}

	@Test
	void instanceIdsFollowTheSameRuleUpTo128() {
		assertThat(ServiceInstance.builder("s", "h", 1).id("i".repeat(128)).build().id()).hasSize(128);
		assertThatIllegalArgumentException().isThrownBy(() -> ServiceInstance.builder("s", "h", 1).id("i".repeat(129)).build())
			.withMessageStartingWith("Invalid instance id ")
			.withMessageContaining("1-128 characters");
		assertThatIllegalArgumentException().isThrownBy(() -> ServiceInstance.builder("s", "h", 1).id("a/../b").build())
			.withMessageStartingWith("Invalid instance id 'a/../b'");
	}

	@ParameterizedTest
	@CsvSource({ "0", "70000", "-1", "65536" })
	void portsOutOfRangeAreRejected(int port) {
		assertThatIllegalArgumentException().isThrownBy(() -> ServiceInstance.builder("s", "h", port).build())
			.withMessage("Invalid port '" + port + "': must be between 1 and 65535");
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "http://host", "host/path", "host name", "h\u00f6st" })
	void badHostsAreRejected(String host) {
		assertThatIllegalArgumentException().isThrownBy(() -> ServiceInstance.builder("s", host, 1).id("x").build())
			.withMessageStartingWith("Invalid host ");
	}

	@ParameterizedTest
	@ValueSource(strings = { "localhost:8080", "10.0.0.1:80", ":", "1:2:3:4:5:6:7:8:9" })
	void hostWithAColonMustBeAnIpv6Address(String host) {
		assertThatIllegalArgumentException().isThrownBy(() -> ServiceInstance.builder("s", host, 1).id("x").build())
			.withMessage("Invalid host '" + host + "': must be a host name or IP address of 1-253 characters, "
					+ "without scheme, port or path (a host with ':' must be an IPv6 address)");
	}

	@ParameterizedTest
	@ValueSource(strings = { "::1", "fe80::1", "2001:db8::8:800:200c:417a", "::ffff:10.0.0.1" })
	void ipv6AddressesAreAccepted(String host) {
		assertThat(ServiceInstance.builder("s", host, 1).id("x").build().uri().getHost()).isEqualTo("[" + host + "]");
	}

	@Test
	void errorsNameTheirField() {
		assertThatExceptionOfType(InvalidValueException.class)
			.isThrownBy(() -> ServiceInstance.builder("s", "h", 1).zone("eu/1").build())
			.satisfies((ex) -> assertThat(ex.getField()).isEqualTo("zone"));
	}

	@Test
	void hostWithSchemeSaysToRemoveIt() {
		assertThatIllegalArgumentException().isThrownBy(() -> ServiceInstance.builder("s", "https://h", 1).id("x").build())
			.withMessageContaining("(remove the scheme)");
	}

	@ParameterizedTest
	@CsvSource({ "0", "1001" })
	void weightsOutOfRangeAreRejected(int weight) {
		assertThatIllegalArgumentException().isThrownBy(() -> ServiceInstance.builder("s", "h", 1).weight(weight).build())
			.withMessage("Invalid weight '" + weight + "': must be between 1 and 1000");
	}

	@Test
	void sixtyFiveMetadataKeysAreRejected() {
		ServiceInstance.Builder builder = ServiceInstance.builder("s", "h", 1);
		for (int i = 0; i < 64; i++) {
			builder.metadata("k" + i, "v");
		}
		assertThat(builder.build().metadata()).hasSize(64);

		builder.metadata("k64", "v");

		assertThatIllegalArgumentException().isThrownBy(builder::build)
			.withMessage("Invalid metadata '65 entries': must have at most 64 entries");
	}

	@Test
	void metadataValueOf513CharactersIsRejected() {
		assertThat(ServiceInstance.builder("s", "h", 1).metadata("k", "v".repeat(512)).build().metadata()).hasSize(1);
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ServiceInstance.builder("s", "h", 1).metadata("k", "v".repeat(513)).build())
			.withMessage("Invalid metadata value of 'k' '" + "v".repeat(40) + "'... (513 characters): "
					+ "must be text of at most 512 bytes in UTF-8");
	}

	@Test
	void metadataValueLimitCountsUtf8Bytes() {
		String twoBytes = "\u00e9";
		String fourBytes = "\uD83D\uDE80";

		assertThat(ServiceInstance.builder("s", "h", 1).metadata("k", twoBytes.repeat(256)).build().metadata())
			.containsEntry("k", twoBytes.repeat(256));
		assertThat(ServiceInstance.builder("s", "h", 1).metadata("k", fourBytes.repeat(128)).build().metadata())
			.containsEntry("k", fourBytes.repeat(128));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ServiceInstance.builder("s", "h", 1).metadata("k", twoBytes.repeat(256) + "x").build())
			.withMessageEndingWith("(257 characters): must be text of at most 512 bytes in UTF-8");
	}

	@ParameterizedTest
	@ValueSource(strings = { "\uDE80", "a\uD83D", "\uD83Da" })
	void metadataValueWithAnUnpairedSurrogateIsRejected(String value) {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ServiceInstance.builder("s", "h", 1).metadata("k", value).build())
			.withMessage("Invalid metadata value of 'k' " + Validation.show(value)
					+ ": must be text of at most 512 bytes in UTF-8");
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "has.dot", "consul-x", "discovery-zone", "sp ace" })
	void badMetadataKeysAreRejected(String key) {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ServiceInstance.builder("s", "h", 1).metadata(key, "v").build())
			.withMessageStartingWith("Invalid metadata key ");
	}

	@Test
	void metadataKeyOf129CharactersIsRejected() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ServiceInstance.builder("s", "h", 1).metadata("k".repeat(129), "v").build())
			.withMessageContaining("(129 characters)");
	}

	@Test
	void durationsMustBePositive() {
		assertThatIllegalArgumentException().isThrownBy(() -> Validation.positive("ttl", Duration.ZERO))
			.withMessage("Invalid ttl 'PT0S': must be a positive duration");
		assertThatIllegalArgumentException().isThrownBy(() -> Validation.positive("ttl", Duration.ofSeconds(-1)))
			.withMessage("Invalid ttl 'PT-1S': must be a positive duration");
	}

	@Test
	void longValuesAreCutShortInMessages() {
		assertThat(Validation.show("x".repeat(1000))).isEqualTo("'" + "x".repeat(40) + "'... (1000 characters)");
		assertThat(Validation.show("\uD83D\uDE00")).isEqualTo("'\\uD83D\\uDE00'");
		assertThat(Validation.show(null)).isEqualTo("null");
	}

}
