package dev.discovery.consul;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;

import com.google.gson.JsonParseException;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;

/**
 * The fields of one check in an answer of {@code /v1/health/state/…} that discovery needs,
 * read from a JSON stream without a model object; missing or null fields read as empty, and
 * the service's tags are joined into one string, since they only feed comparisons.
 */
final class CheckRow {

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
	 * @param json the answer: a JSON array of checks
	 * @return the checks, in the answer's order
	 * @throws JsonParseException if the answer is not such an array
	 */
	static List<CheckRow> readAll(String json) {
		try (JsonReader reader = new JsonReader(new StringReader(json))) {
			List<CheckRow> rows = new ArrayList<>();
			reader.beginArray();
			while (reader.hasNext()) {
				rows.add(read(reader));
			}
			reader.endArray();
			return rows;
		}
		catch (IOException | IllegalStateException ex) {
			throw new JsonParseException("not an array of checks: " + ex.getMessage(), ex);
		}
	}

	private static CheckRow read(JsonReader reader) throws IOException {
		CheckRow row = new CheckRow();
		reader.beginObject();
		while (reader.hasNext()) {
			switch (reader.nextName()) {
				case "Node" -> row.node = string(reader);
				case "CheckID" -> row.checkId = string(reader);
				case "Status" -> row.status = string(reader);
				case "ServiceID" -> row.serviceId = string(reader);
				case "ServiceName" -> row.serviceName = string(reader);
				case "ServiceTags" -> row.tags = tags(reader);
				default -> reader.skipValue();
			}
		}
		reader.endObject();
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

	private static String string(JsonReader reader) throws IOException {
		if (reader.peek() == JsonToken.NULL) {
			reader.nextNull();
			return "";
		}
		return reader.nextString();
	}

	private static String tags(JsonReader reader) throws IOException {
		if (reader.peek() == JsonToken.NULL) {
			reader.nextNull();
			return "";
		}
		StringBuilder joined = new StringBuilder();
		reader.beginArray();
		while (reader.hasNext()) {
			joined.append(string(reader)).append('\u0000');
		}
		reader.endArray();
		return joined.toString();
	}

}
