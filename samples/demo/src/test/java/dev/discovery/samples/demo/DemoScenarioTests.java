package dev.discovery.samples.demo;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the demo's scenario as {@code exec:java} does, and checks that it reports success and
 * shows every step.
 */
class DemoScenarioTests {

	@Test
	void everyStepBehavesAndIsShown() {
		ByteArrayOutputStream captured = new ByteArrayOutputStream();
		PrintStream out = new PrintStream(captured, true, StandardCharsets.UTF_8);

		int exitCode = new DemoScenario(out).run();

		String output = captured.toString(StandardCharsets.UTF_8);
		System.out.println(output);
		assertThat(exitCode).as(() -> output.lines().filter((line) -> line.startsWith("FAILED")).findFirst().orElse(""))
			.isZero();
		assertThat(output).contains("── spread: ", "── drain: POST /actuator/discovery {\"status\":\"OUT_OF_SERVICE\"} on A",
				"── stop: graceful shutdown of A", "── kill: B is killed", "── restart: A and B start again")
			.containsPattern("B left the view \\d\\.\\d s after the kill")
			.containsPattern("All \\d+ calls succeeded\\. Every step behaved as expected\\.")
			.doesNotContain("FAILED");
		assertThat(output.lines().filter((line) -> line.matches("\\s+\\d+\\.\\ds │ .*"))).hasSizeGreaterThan(15);
	}

}
