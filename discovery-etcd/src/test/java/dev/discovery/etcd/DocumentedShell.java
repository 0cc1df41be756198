package dev.discovery.etcd;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The one {@code ```sh} block of a Markdown document, run step by step in one bash, as a
 * reader would paste it: its steps are the paragraphs between blank lines, sent unchanged
 * to the shell's standard input. Not thread-safe.
 */
final class DocumentedShell implements AutoCloseable {

	private static final Duration STEP_TIMEOUT = Duration.ofSeconds(30);

	private static final String STEP_END = "__documented_step_ended__";

	private final List<String> steps;

	private final Process bash;

	private final Writer input;

	private final BlockingQueue<String> output = new LinkedBlockingQueue<>();

	private final StringBuilder transcript = new StringBuilder();

	private int next;

	/**
	 * Starts bash for the block of a document.
	 * @param block the text of the block
	 * @param environment variables to set for the shell, on top of this process's
	 * @throws IOException if bash cannot be started
	 */
	DocumentedShell(String block, Map<String, String> environment) throws IOException {
		this.steps = List.of(block.strip().split("\n\\s*\n"));
		ProcessBuilder builder = new ProcessBuilder("bash", "-s").redirectErrorStream(true);
		builder.environment().putAll(environment);
		this.bash = builder.start();
		this.input = new OutputStreamWriter(this.bash.getOutputStream(), StandardCharsets.UTF_8);
		Thread reader = new Thread(this::readOutput, "documented-shell-output");
		reader.setDaemon(true);
		reader.start();
	}

	/**
	 * Returns the text of the one {@code ```sh} block of a Markdown document.
	 * @param document the document
	 * @return the lines between the fences
	 * @throws IOException if the document cannot be read
	 * @throws IllegalStateException if the document has no such block, or more than one
	 */
	static String shellBlock(Path document) throws IOException {
		List<String> blocks = new ArrayList<>();
		StringBuilder block = null;
		for (String line : Files.readAllLines(document, StandardCharsets.UTF_8)) {
			if (block == null && line.strip().equals("```sh")) {
				block = new StringBuilder();
			}
			else if (block != null && line.strip().equals("```")) {
				blocks.add(block.toString());
				block = null;
			}
			else if (block != null) {
				block.append(line).append('\n');
			}
		}
		if (blocks.size() != 1) {
			throw new IllegalStateException(document + " has " + blocks.size() + " ```sh blocks; expected one");
		}
		return blocks.get(0);
	}

	/**
	 * Finds a file by its path relative to the repository root, from the working directory
	 * or any folder above it.
	 * @param relative the path from the repository root
	 * @return the file
	 * @throws IllegalStateException if no folder above the working directory has it
	 */
	static Path fromRepositoryRoot(String relative) {
		for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
			Path candidate = dir.resolve(relative);
			if (Files.isRegularFile(candidate)) {
				return candidate;
			}
		}
		throw new IllegalStateException("No " + relative + " in " + Path.of("").toAbsolutePath() + " or above");
	}

	/**
	 * Runs the next steps, up to and including the first one that contains a text, and
	 * waits for each to end.
	 * @param text text of the last step to run
	 * @throws AssertionError if no step left contains the text, or a step failed or did not
	 * end within 30 s; the message has the shell's output
	 */
	void runThrough(String text) throws IOException, InterruptedException {
		int last = this.next;
		while (last < this.steps.size() && !this.steps.get(last).contains(text)) {
			last++;
		}
		if (last == this.steps.size()) {
			throw new AssertionError("No step left contains '" + text + "' in:\n" + String.join("\n\n", this.steps));
		}
		while (this.next <= last) {
			run(this.steps.get(this.next++));
		}
	}

	/**
	 * Returns the processes that the shell started and that still run, such as a
	 * command sent to the background.
	 * @return the processes
	 */
	List<ProcessHandle> children() {
		return this.bash.children().filter(ProcessHandle::isAlive).toList();
	}

	@Override
	public void close() throws IOException {
		this.bash.descendants().forEach(ProcessHandle::destroyForcibly);
		this.bash.destroyForcibly();
	}

	private void run(String step) throws IOException, InterruptedException {
		this.input.write(step + "\necho \"" + STEP_END + " $?\"\n");
		this.input.flush();
		long deadline = System.nanoTime() + STEP_TIMEOUT.toNanos();
		String line;
		while ((line = this.output.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) != null) {
			if (line.startsWith(STEP_END)) {
				if (!line.equals(STEP_END + " 0")) {
					throw new AssertionError("Step failed (" + line.substring(STEP_END.length()).strip() + "):\n" + step
							+ "\nOutput:\n" + this.transcript);
				}
				return;
			}
			this.transcript.append(line).append('\n');
		}
		throw new AssertionError("Step did not end within " + STEP_TIMEOUT + ":\n" + step + "\nOutput:\n" + this.transcript);
	}

	private void readOutput() {
		try (BufferedReader reader = new BufferedReader(
				new InputStreamReader(this.bash.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = reader.readLine()) != null) {
				this.output.add(line);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
