package dev.discovery.etcd;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.discovery.core.InstanceStatus;
import dev.discovery.core.ServiceInstance;
import dev.discovery.core.Validation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The stored JSON form of an instance.
 */
class InstanceCodecTest {

	private final InstanceCodec codec = new InstanceCodec();

	@Test
	void everyFieldSurvivesARoundTripAndTheFormatVersionIsWritten() {
		ServiceInstance instance = ServiceInstance.builder("orders", "10.0.0.7", 8443)
			.id("orders-1")
			.secure(true)
			.zone("eu-west-1a")
			.weight(7)
			.tag("canary")
			.metadata("version", "2.1")
			.status(InstanceStatus.STARTING)
			.build();

		byte[] json = this.codec.encode(instance);

		assertThat(new String(json, StandardCharsets.UTF_8)).startsWith("{\"v\":1,");
		assertThat(this.codec.decode(json)).isEqualTo(instance);
	}

	@Test
	void writesTheDocumentedFormByteForByte() {
		ServiceInstance instance = ServiceInstance.builder("orders", "10.0.0.7", 8080)
			.id("orders-1")
			.zone("eu-1")
			.weight(10)
			.tag("v2")
			.metadata("version", "2.1")
			.build();

		assertThat(new String(this.codec.encode(instance), StandardCharsets.UTF_8))
			.isEqualTo("{\"v\":1,\"service\":\"orders\",\"id\":\"orders-1\",\"host\":\"10.0.0.7\",\"port\":8080,"
					+ "\"secure\":false,\"zone\":\"eu-1\",\"weight\":10,\"tags\":[\"v2\"],"
					+ "\"metadata\":{\"version\":\"2.1\"},\"status\":\"UP\"}");
	}

	@Test
	void writesWhatDataBindingOfTheDocumentWrites() {
		JsonMapper mapper = JsonMapper.builder().build();
		List<ServiceInstance> instances = List.of(ServiceInstance.builder("orders", "::1", 1).build(),
				ServiceInstance.builder("orders", "db.internal", 65535)
					.id("orders-2")
					.secure(true)
					.zone("eu-2")
					.weight(100)
					.tags(Set.of("a", "b=1", "c\"d\\e"))
					.metadata(Map.of("k1", "line\nbreak", "k2", "", "k3", "gr\u00fc\u00dfe \u2028\t"))
					.status(InstanceStatus.OUT_OF_SERVICE)
					.build());

		for (ServiceInstance instance : instances) {
			byte[] bound = mapper.writeValueAsBytes(new InstanceCodec.Document(InstanceCodec.FORMAT_VERSION,
					instance.service(), instance.id(), instance.host(), instance.port(), instance.secure(),
					instance.zone(), instance.weight(), instance.tags(), instance.metadata(), instance.status()));
			assertThat(new String(this.codec.encode(instance), StandardCharsets.UTF_8))
				.isEqualTo(new String(bound, StandardCharsets.UTF_8));
			assertThat(this.codec.decode(this.codec.encode(instance))).isEqualTo(instance);
		}
	}

	@Test
	void unknownFieldsOfALaterWriterAreIgnored() {
		String json = "{\"v\":1,\"service\":\"orders\",\"id\":\"o1\",\"host\":\"h\",\"port\":80,\"status\":\"UP\",\"added\":true}";

		assertThat(this.codec.decode(json.getBytes(StandardCharsets.UTF_8)))
			.isEqualTo(ServiceInstance.builder("orders", "h", 80).id("o1").build());
	}

	@Test
	void missingOrUnknownFormatVersionIsRejected() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.codec.decode("{\"service\":\"orders\"}".getBytes(StandardCharsets.UTF_8)))
			.withMessageContaining("format version");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.codec.decode("{\"v\":9}".getBytes(StandardCharsets.UTF_8)))
			.withMessageContaining("format version \"v\" is 9");
	}

	@ParameterizedTest
	@ValueSource(strings = { "null", "[1,2]", "\"text\"", "42", "true", "{\"v\":1,\"port\":1,\"status\":\"GONE\"}" })
	void jsonThatIsNotAnInstanceDocumentIsRejected(String json) {
		assertThatIllegalArgumentException().isThrownBy(() -> this.codec.decode(json.getBytes(StandardCharsets.UTF_8)))
			.withMessageStartingWith("not JSON of an instance (")
			.withMessageEndingWith(Validation.show(json));
	}

	@Test
	void invalidJsonIsRejectedWithAPreview() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.codec.decode("[1,".getBytes(StandardCharsets.UTF_8)))
			.withMessageContaining("not JSON of an instance")
			.withMessageContaining("'[1,'");
	}

}
