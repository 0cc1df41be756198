package dev.discovery.etcd;

import java.nio.charset.StandardCharsets;

import dev.discovery.core.InstanceStatus;
import dev.discovery.core.ServiceInstance;
import dev.discovery.core.Validation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
