package dev.discovery.etcd;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.discovery.core.InstanceStatus;
import dev.discovery.etcd.InstanceCodec.Document;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.TokenStreamFactory;

/**
 * Reads an instance document in its plain form with the streaming parser, several times
 * faster than data binding: a JSON object whose known fields each appear at most once with
 * the JSON type {@link InstanceCodec} writes (or {@code null}), whose status names an
 * {@link InstanceStatus}, and after which nothing follows. Fields it does not know are
 * skipped. Anything else, valid or not, it leaves to data binding, which decides what it
 * means and how it fails. Thread-safe.
 */
final class PlainDocumentReader {

	private static final List<String> FIELDS = List.of("v", "service", "id", "host", "port", "secure", "zone", "weight",
			"tags", "metadata", "status");

	private final TokenStreamFactory factory;

	/**
	 * Creates a reader.
	 * @param factory the JSON factory of the data binding that handles the other documents
	 */
	PlainDocumentReader(TokenStreamFactory factory) {
		this.factory = factory;
	}

	/**
	 * Reads a document in its plain form.
	 * @param json the stored value
	 * @return the document, or {@code null} if the value is not in the plain form
	 */
	@Nullable Document read(byte[] json) {
		try (JsonParser parser = this.factory.createParser(ObjectReadContext.empty(), json)) {
			if (parser.nextToken() != JsonToken.START_OBJECT) {
				return null;
			}
			Document document = fields(parser);
			return (document != null && parser.nextToken() == null) ? document : null;
		}
		catch (JacksonException ex) {
			return null;
		}
	}

	private static @Nullable Document fields(JsonParser parser) {
		@Nullable Object[] values = new Object[FIELDS.size()];
		boolean[] seen = new boolean[FIELDS.size()];
		for (String name = parser.nextName(); name != null; name = parser.nextName()) {
			JsonToken token = parser.nextToken();
			int field = FIELDS.indexOf(name);
			if (field < 0) {
				parser.skipChildren();
				continue;
			}
			if (seen[field]) {
				return null;
			}
			seen[field] = true;
			if (token != JsonToken.VALUE_NULL) {
				Object value = value(name, token, parser);
				if (value == null) {
					return null;
				}
				values[field] = value;
			}
		}
		return new Document((Integer) values[0], (String) values[1], (String) values[2], (String) values[3],
				(Integer) values[4], (Boolean) values[5], (String) values[6], (Integer) values[7], tags(values[8]),
				metadata(values[9]), (InstanceStatus) values[10]);
	}

	private static @Nullable Object value(String name, JsonToken token, JsonParser parser) {
		return switch (name) {
			case "v", "port", "weight" -> (token == JsonToken.VALUE_NUMBER_INT) ? parser.getIntValue() : null;
			case "secure" -> (token == JsonToken.VALUE_TRUE || token == JsonToken.VALUE_FALSE)
					? token == JsonToken.VALUE_TRUE : null;
			case "tags" -> (token == JsonToken.START_ARRAY) ? strings(parser) : null;
			case "metadata" -> (token == JsonToken.START_OBJECT) ? stringMap(parser) : null;
			case "status" -> (token == JsonToken.VALUE_STRING) ? status(parser.getString()) : null;
			default -> (token == JsonToken.VALUE_STRING) ? parser.getString() : null;
		};
	}

	private static @Nullable Set<String> strings(JsonParser parser) {
		Set<String> strings = new HashSet<>();
		for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
			if (token != JsonToken.VALUE_STRING) {
				return null;
			}
			strings.add(parser.getString());
		}
		return strings;
	}

	private static @Nullable Map<String, String> stringMap(JsonParser parser) {
		Map<String, String> map = new LinkedHashMap<>();
		for (String key = parser.nextName(); key != null; key = parser.nextName()) {
			if (parser.nextToken() != JsonToken.VALUE_STRING) {
				return null;
			}
			map.put(key, parser.getString());
		}
		return map;
	}

	private static @Nullable InstanceStatus status(String name) {
		for (InstanceStatus status : InstanceStatus.values()) {
			if (status.name().equals(name)) {
				return status;
			}
		}
		return null;
	}

	@SuppressWarnings("unchecked")
	private static @Nullable Set<String> tags(@Nullable Object value) {
		return (Set<String>) value;
	}

	@SuppressWarnings("unchecked")
	private static @Nullable Map<String, String> metadata(@Nullable Object value) {
		return (Map<String, String>) value;
	}

}
