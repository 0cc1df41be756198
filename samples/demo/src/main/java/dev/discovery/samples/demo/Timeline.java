package dev.discovery.samples.demo;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import dev.discovery.core.InstanceStatus;
import dev.discovery.core.ServiceInstance;
import dev.discovery.samples.client.Answer;
import org.jspecify.annotations.Nullable;

/**
 * Records the outcome of every call and prints, one row per period, the calls each instance
 * answered as a bar, next to the status the client's view shows for it. Thread-safe: calls
 * are recorded, rows printed and notes written from different threads, one at a time.
 */
final class Timeline {

	private static final int BAR_WIDTH = 12;

	private final PrintStream out;

	private final Map<Integer, String> columns;

	private final Supplier<List<ServiceInstance>> view;

	private final long start = System.nanoTime();

	private final List<Call> calls = new ArrayList<>();

	private int printed;

	/**
	 * Creates a timeline.
	 * @param out where rows and notes go
	 * @param columns the label of each instance's column, by port, in display order
	 * @param view the instances the client currently knows
	 */
	Timeline(PrintStream out, Map<Integer, String> columns, Supplier<List<ServiceInstance>> view) {
		this.out = out;
		this.columns = new LinkedHashMap<>(columns);
		this.view = view;
	}

	/**
	 * Returns the time since the timeline started.
	 * @return nanoseconds
	 */
	long now() {
		return System.nanoTime() - this.start;
	}

	/**
	 * Makes a call and records its outcome at the time it started, so that a call begun
	 * before a step's mark never counts for that step.
	 * @param call the call to make
	 */
	void record(Supplier<Answer> call) {
		long started = now();
		Answer answer = call.get();
		synchronized (this) {
			this.calls.add(new Call(started, answer));
		}
	}

	synchronized void note(String text) {
		this.out.println(text);
	}

	synchronized void printHeader() {
		StringBuilder header = new StringBuilder("   time");
		this.columns.values().forEach((label) -> header.append(" │ ").append(pad(label, 5 + 1 + BAR_WIDTH + 3)));
		this.out.println(header.append(" │ failed"));
	}

	/**
	 * Prints the calls recorded since the last row, per instance, with each instance's
	 * status in the client's view.
	 */
	synchronized void printRow() {
		List<Call> period = this.calls.subList(this.printed, this.calls.size());
		Tally tally = Tally.of(period);
		this.printed = this.calls.size();
		Map<Integer, InstanceStatus> statuses = new LinkedHashMap<>();
		this.view.get().forEach((instance) -> statuses.put(instance.port(), instance.status()));
		StringBuilder row = new StringBuilder(String.format("%6.1fs", now() / 1e9));
		for (Integer port : this.columns.keySet()) {
			int answered = tally.answered(port);
			String bar = "█".repeat(Math.min(BAR_WIDTH, (answered + 1) / 2));
			String cell = String.format("%-5s %-" + BAR_WIDTH + "s%3d", label(statuses.get(port)), bar, answered);
			row.append(" │ ").append(cell);
		}
		this.out.println(row.append(" │ ").append(tally.failed()));
	}

	/**
	 * Counts the calls started since a point in time.
	 * @param since a value of {@link #now()}
	 * @return the calls started since then
	 */
	synchronized Tally since(long since) {
		return Tally.of(this.calls.stream().filter((call) -> call.at() >= since).toList());
	}

	/**
	 * Counts every call.
	 * @return all the calls
	 */
	synchronized Tally all() {
		return Tally.of(this.calls);
	}

	private static String label(@Nullable InstanceStatus status) {
		if (status == null) {
			return "--";
		}
		return switch (status) {
			case UP -> "UP";
			case STARTING -> "START";
			case DOWN -> "DOWN";
			case OUT_OF_SERVICE -> "OUT";
		};
	}

	private static String pad(String text, int width) {
		return String.format("%-" + width + "s", text);
	}

	private record Call(long at, Answer answer) {
	}

	/**
	 * How many calls each instance answered, by port, and how many failed.
	 *
	 * @param byPort calls answered per port
	 * @param failed calls that no instance answered
	 * @param firstError the message of the first failed call, or {@code null}
	 */
	record Tally(Map<Integer, Integer> byPort, int failed, @Nullable String firstError) {

		static Tally of(List<Call> calls) {
			Map<Integer, Integer> byPort = new LinkedHashMap<>();
			int failed = 0;
			@Nullable String firstError = null;
			for (Call call : calls) {
				if (call.answer().succeeded()) {
					byPort.merge(call.answer().port(), 1, Integer::sum);
				}
				else {
					failed++;
					firstError = (firstError != null) ? firstError : call.answer().error();
				}
			}
			return new Tally(byPort, failed, firstError);
		}

		int answered(int port) {
			return this.byPort.getOrDefault(port, 0);
		}

		int total() {
			return this.byPort.values().stream().mapToInt(Integer::intValue).sum() + this.failed;
		}

	}

}
