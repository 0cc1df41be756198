package dev.discovery.etcd;

import java.nio.charset.StandardCharsets;

import dev.discovery.core.InstanceStatus;
import dev.discovery.core.ServiceInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.core.json.JsonFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The streaming reader of plain documents reads them exactly as data binding does, and leaves
 * every other input to data binding.
 */
class PlainDocumentReaderTest {

	private final InstanceCodec codec = new InstanceCodec();

	private final PlainDocumentReader reader = new PlainDocumentReader(new JsonFactory());

	@ParameterizedTest
	@ValueSource(strings = { "{\"v\":1,\"service\":\"orders\",\"id\":\"o1\",\"host\":\"h\",\"port\":80,\"status\":\"UP\"}",
			"{\"v\":1,\"service\":\"orders\",\"id\":\"o1\",\"host\":\"h\",\"port\":80,\"secure\":true,\"zone\":\"z\","
					+ "\"weight\":3,\"tags\":[\"a\",\"b\",\"a\"],\"metadata\":{\"k\":\"v\",\"x\":\"\"},\"status\":\"DOWN\"}",
			"{\"status\":\"UP\",\"port\":80,\"v\":1,\"zone\":null,\"tags\":null,\"metadata\":null,\"secure\":null,"
					+ "\"weight\":null,\"service\":\"orders\",\"id\":\"o1\",\"host\":\"h\"}",
			"{\"v\":1,\"later\":{\"nested\":[1,{\"a\":null}]},\"service\":\"orders\",\"id\":\"o1\",\"host\":\"h\","
					+ "\"port\":80,\"status\":\"UP\",\"more\":[]}",
			"{\"v\":2}", "{}", " { \"v\" : 1 } " })
	void plainDocumentsReadAsDataBindingReadsThem(String json) {
		byte[] bytes = json.getBytes(StandardCharsets.UTF_8);

		assertThat(this.reader.read(bytes)).isNotNull().isEqualTo(this.codec.bind(bytes));
	}

	@ParameterizedTest
	@ValueSource(strings = { "null", "[1,2]", "\"text\"", "42", "{\"v\":\"1\"}", "{\"v\":1.0}", "{\"port\":99999999999}",
			"{\"v\":1,\"v\":1}", "{\"status\":\"up\"}", "{\"status\":\"GONE\"}", "{\"secure\":\"true\"}", "{\"secure\":1}",
			"{\"tags\":\"a\"}", "{\"tags\":[\"a\",null]}", "{\"tags\":[1]}", "{\"metadata\":{\"k\":1}}",
			"{\"metadata\":[]}", "{\"service\":1}", "{\"v\":1} {}", "{\"v\":1", "{\"v\":1}]" })
	void everyOtherInputIsLeftToDataBinding(String json) {
		assertThat(this.reader.read(json.getBytes(StandardCharsets.UTF_8))).isNull();
	}

	@ParameterizedTest
	@ValueSource(strings = { "orders", "payments.eu-1" })
	void whatTheCodecWritesIsPlain(String service) {
		ServiceInstance instance = ServiceInstance.builder(service, "10.0.0.7", 8443)
			.secure(true)
			.zone("eu-west-1a")
			.weight(7)
			.tag("canary")
			.tag("blue")
			.metadata("version", "2.1")
			.metadata("grpc-port", "9090")
			.status(InstanceStatus.OUT_OF_SERVICE)
			.build();
		byte[] json = this.codec.encode(instance);

		assertThat(this.reader.read(json)).isNotNull().isEqualTo(this.codec.bind(json));
	}

}
