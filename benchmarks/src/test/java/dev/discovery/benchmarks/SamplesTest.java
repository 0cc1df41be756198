package dev.discovery.benchmarks;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The summaries the benchmark verdicts rest on.
 */
class SamplesTest {

	@Test
	void medianIntervalOfTwentyIsTheSixthToTheFifteenthValue() {
		Samples samples = millis(20);
		assertThat(samples.medianConfidenceMillis()).containsExactly(6, 15);
	}

	@Test
	void medianIntervalOfSixIsTheWholeRange() {
		assertThat(millis(6).medianConfidenceMillis()).containsExactly(1, 6);
	}

	@Test
	void medianIntervalNarrowsAsSamplesGrow() {
		assertThat(millis(100).medianConfidenceMillis()).containsExactly(40, 61);
	}

	@Test
	void medianIntervalOfThousandsDoesNotUnderflow() {
		assertThat(millis(2000).medianConfidenceMillis()).containsExactly(956, 1045);
	}

	@Test
	void medianIntervalKeepsNegativeDifferences() {
		Samples samples = new Samples();
		for (int i = -10; i < 10; i++) {
			samples.add(i * 1_000_000L);
		}
		assertThat(samples.medianConfidenceMillis()).containsExactly(-5, 4);
	}

	@Test
	void fiveSamplesAreTooFewForAnInterval() {
		assertThatIllegalStateException().isThrownBy(() -> millis(5).medianConfidenceMillis())
			.withMessageContaining("5 samples");
	}

	private static Samples millis(int count) {
		Samples samples = new Samples();
		for (int i = count; i >= 1; i--) {
			samples.add(i * 1_000_000L);
		}
		return samples;
	}

}
