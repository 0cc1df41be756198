package dev.discovery.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import tools.jackson.databind.json.JsonMapper;

/**
 * The results of one run: where it ran, the versions, tables of figures side by side with
 * their anchors, and a verdict on every target. Written as Markdown for the README and as
 * JSON for tools. Not thread-safe.
 */
final class Report {

	private final Map<String, String> environment = new LinkedHashMap<>();

	private final List<Table> tables = new ArrayList<>();

	private final List<Verdict> verdicts = new ArrayList<>();

	/**
	 * Records a fact about the run (machine, JDK, a version).
	 * @param name what it is
	 * @param value its value
	 */
	void environment(String name, String value) {
		this.environment.put(name, value);
	}

	/**
	 * Adds a table of figures.
	 * @param table the table
	 */
	void add(Table table) {
		this.tables.add(table);
	}

	/**
	 * Adds the verdict on one target.
	 * @param verdict the verdict
	 */
	void add(Verdict verdict) {
		this.verdicts.add(verdict);
	}

	/**
	 * Writes {@code <name>.md} and {@code <name>.json} into a directory.
	 * @param directory where to write, created if missing
	 * @param name the file name without extension, such as the date
	 * @return the Markdown file
	 * @throws IOException if writing failed
	 */
	Path write(Path directory, String name) throws IOException {
		Files.createDirectories(directory);
		Path markdown = directory.resolve(name + ".md");
		Files.writeString(markdown, markdown());
		Files.writeString(directory.resolve(name + ".json"), json());
		return markdown;
	}

	String markdown() {
		StringBuilder out = new StringBuilder("# Benchmark results\n\n");
		this.environment.forEach((name, value) -> out.append("- ").append(name).append(": ").append(value).append('\n'));
		out.append("\n## Targets\n\n| target | measured | met |\n|---|---|---|\n");
		for (Verdict verdict : this.verdicts) {
			out.append("| ").append(verdict.target()).append(" | ").append(verdict.measured()).append(" | ")
				.append(verdict.met() ? "yes" : "**no**").append(" |\n");
		}
		for (Table table : this.tables) {
			out.append("\n## ").append(table.title()).append("\n\n").append(table.note()).append("\n\n");
			out.append(row(table.columns())).append(row(table.columns().stream().map((column) -> "---").toList()));
			for (List<Object> cells : table.rows()) {
				out.append(row(cells.stream().map(Report::format).toList()));
			}
		}
		return out.toString();
	}

	String json() {
		Map<String, Object> root = new LinkedHashMap<>();
		root.put("environment", this.environment);
		root.put("targets", this.verdicts);
		List<Map<String, Object>> tables = new ArrayList<>();
		for (Table table : this.tables) {
			List<Map<String, Object>> rows = new ArrayList<>();
			for (List<Object> cells : table.rows()) {
				Map<String, Object> row = new LinkedHashMap<>();
				for (int i = 0; i < cells.size(); i++) {
					Object cell = cells.get(i);
					row.put(table.columns().get(i), (cell instanceof Double number && number.isNaN()) ? null : cell);
				}
				rows.add(row);
			}
			tables.add(Map.of("title", table.title(), "note", table.note(), "rows", rows));
		}
		root.put("tables", tables);
		return JsonMapper.builder().build().writerWithDefaultPrettyPrinter().writeValueAsString(root);
	}

	/**
	 * Formats a figure with as many decimals as its size deserves: 3 significant digits, no
	 * more than 2 decimals.
	 * @param value a number or text
	 * @return the text of the cell
	 */
	static String format(Object value) {
		if (!(value instanceof Double number)) {
			return String.valueOf(value);
		}
		if (number.isNaN()) {
			return "–";
		}
		double magnitude = Math.abs(number);
		int decimals = (magnitude >= 100 || magnitude == 0) ? 0 : (magnitude >= 10) ? 1 : 2;
		return String.format(Locale.ROOT, "%." + decimals + "f", number);
	}

	private static String row(List<String> cells) {
		return cells.stream().collect(Collectors.joining(" | ", "| ", " |\n"));
	}

	/**
	 * A table of figures.
	 * @param title the heading
	 * @param note how it was measured, in a sentence or two
	 * @param columns the column headings
	 * @param rows the cells of each row: measured numbers ({@link Double}, NaN when not
	 * measured), counts ({@link Integer}) or text
	 */
	record Table(String title, String note, List<String> columns, List<List<Object>> rows) {
	}

	/**
	 * Whether one target was met.
	 * @param target the target, as the issue states it
	 * @param measured what was measured, with the anchor or limit it was compared to
	 * @param met whether the target was met
	 */
	record Verdict(String target, String measured, boolean met) {
	}

}
