package dev.discovery.etcd;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

import dev.discovery.core.InstanceStatus;
import dev.discovery.core.ServiceInstance;
import dev.discovery.core.Validation;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.TokenStreamFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Converts instances to and from the JSON stored as etcd values. The document carries a
 * format version, {@code "v":1}; fields it does not know are ignored, so that later
 * versions may add fields. Documents are written in the plain form with the streaming
 * generator; documents in that form are read by a {@link PlainDocumentReader}, the others by
 * data binding, and both give the same result. Writing field by field instead of binding
 * the {@link Document} spares a starting application the introspection and classes of a
 * record serializer. Thread-safe.
 */
final class InstanceCodec {

	static final int FORMAT_VERSION = 1;

	/** About the size of a document with a few tags and metadata entries. */
	private static final int ENCODED_SIZE_HINT = 256;

	private final JsonMapper mapper = JsonMapper.builder()
		.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.build();

	private final TokenStreamFactory factory = this.mapper.tokenStreamFactory();

	private final PlainDocumentReader plainReader = new PlainDocumentReader(this.factory);

	/**
	 * Loads and initialises the classes that encoding and decoding a plain document use
	 * (Jackson's streaming generator and parser) by converting one instance both ways.
	 */
	static void preload() {
		InstanceCodec codec = new InstanceCodec();
		codec.decode(codec.encode(ServiceInstance.builder("preload", "127.0.0.1", 1)
			.tags(Set.of("tag"))
			.metadata(Map.of("key", "value"))
			.build()));
	}

	/**
	 * Writes an instance in the plain form, field by field with the streaming generator,
	 * in the order the format documents: {@code v}, {@code service}, {@code id},
	 * {@code host}, {@code port}, {@code secure}, {@code zone} ({@code null} when unset),
	 * {@code weight}, {@code tags}, {@code metadata}, {@code status}.
	 * @param instance the instance
	 * @return the UTF-8 JSON document
	 */
	byte[] encode(ServiceInstance instance) {
		ByteArrayOutputStream out = new ByteArrayOutputStream(ENCODED_SIZE_HINT);
		try (JsonGenerator json = this.factory.createGenerator(ObjectWriteContext.empty(), out)) {
			json.writeStartObject();
			json.writeNumberProperty("v", FORMAT_VERSION);
			json.writeStringProperty("service", instance.service());
			json.writeStringProperty("id", instance.id());
			json.writeStringProperty("host", instance.host());
			json.writeNumberProperty("port", instance.port());
			json.writeBooleanProperty("secure", instance.secure());
			json.writeStringProperty("zone", instance.zone());
			json.writeNumberProperty("weight", instance.weight());
			json.writeArrayPropertyStart("tags");
			for (String tag : instance.tags()) {
				json.writeString(tag);
			}
			json.writeEndArray();
			json.writeObjectPropertyStart("metadata");
			for (Map.Entry<String, String> entry : instance.metadata().entrySet()) {
				json.writeStringProperty(entry.getKey(), entry.getValue());
			}
			json.writeEndObject();
			json.writeStringProperty("status", instance.status().name());
			json.writeEndObject();
		}
		return out.toByteArray();
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
