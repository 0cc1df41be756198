package dev.discovery.etcd;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

import dev.discovery.core.InstanceStatus;
import dev.discovery.core.ServiceInstance;
import dev.discovery.core.Validation;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Converts instances to and from the JSON stored as etcd values. The document carries a
 * format version, {@code "v":1}; fields it does not know are ignored, so that later
 * versions may add fields. Documents in their plain form are read by a
 * {@link PlainDocumentReader}, the others by data binding; both give the same result.
 * Thread-safe.
 */
final class InstanceCodec {

	static final int FORMAT_VERSION = 1;

	private final JsonMapper mapper = JsonMapper.builder()
		.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.build();

	private final PlainDocumentReader plainReader = new PlainDocumentReader(this.mapper.tokenStreamFactory());

	/**
	 * Loads and initialises the classes that encoding and decoding use (Jackson's data
	 * binding and streaming parser) by converting one instance both ways.
	 */
	static void preload() {
		InstanceCodec codec = new InstanceCodec();
		codec.decode(codec.encode(ServiceInstance.builder("preload", "127.0.0.1", 1)
			.tags(Set.of("tag"))
			.metadata(Map.of("key", "value"))
			.build()));
	}

	byte[] encode(ServiceInstance instance) {
		return this.mapper.writeValueAsBytes(new Document(FORMAT_VERSION, instance.service(), instance.id(),
				instance.host(), instance.port(), instance.secure(), instance.zone(), instance.weight(), instance.tags(),
				instance.metadata(), instance.status()));
	}

	/**
	 * Reads an instance.
	 * @param json the stored value
	 * @return the instance
	 * @throws IllegalArgumentException if the value is not JSON of a valid instance in a
	 * format version this codec reads; the message says why
	 */
	ServiceInstance decode(byte[] json) {
		@Nullable Document document = this.plainReader.read(json);
		if (document == null) {
			document = bind(json);
		}
		if (document == null) {
			throw new IllegalArgumentException("not JSON of an instance (the document is null): " + preview(json));
		}
		if (document.v() == null || document.v() != FORMAT_VERSION) {
			throw new IllegalArgumentException("format version \"v\" is " + document.v() + ", expected " + FORMAT_VERSION);
		}
		if (document.port() == null || document.status() == null) {
			throw new IllegalArgumentException("\"port\" and \"status\" are required");
		}
		return new ServiceInstance(document.service(), document.id(), document.host(), document.port(),
				Boolean.TRUE.equals(document.secure()), document.zone(), (document.weight() != null) ? document.weight() : 1,
				(document.tags() != null) ? document.tags() : Set.of(),
				(document.metadata() != null) ? document.metadata() : Map.of(), document.status());
	}

	/**
	 * Reads a document with data binding, which decides what any JSON means.
	 * @param json the stored value
	 * @return the document, or {@code null} for the JSON {@code null}
	 * @throws IllegalArgumentException if the value is not JSON of a document
	 */
	@Nullable Document bind(byte[] json) {
		try {
			return this.mapper.readValue(json, Document.class);
		}
		catch (JacksonException ex) {
			throw new IllegalArgumentException("not JSON of an instance (" + ex.getOriginalMessage() + "): "
					+ preview(json));
		}
	}

	private static String preview(byte[] json) {
		String text = new String(json, StandardCharsets.UTF_8);
		return Validation.show(text);
	}

	/**
	 * The stored form of an instance, version 1.
	 */
	record Document(@Nullable Integer v, @Nullable String service, @Nullable String id, @Nullable String host,
			@Nullable Integer port, @Nullable Boolean secure, @Nullable String zone, @Nullable Integer weight,
			@Nullable Set<String> tags, @Nullable Map<String, String> metadata, @Nullable InstanceStatus status) {
	}

}
