package dev.discovery.core;

import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class StripedSequenceTest {

	@Test
	void oneThreadReceivesConsecutiveNumbersFromZero() {
		StripedSequence sequence = new StripedSequence(8);

		List<Long> numbers = IntStream.range(0, 20).mapToObj((i) -> sequence.next()).toList();

		assertThat(numbers).isEqualTo(LongStream.range(0, 20).boxed().toList());
	}

	@Test
	void defaultStripesArePowerOfTwoAtLeastTwicePerProcessorUpToSixteen() {
		int stripes = new StripedSequence().stripes();

		assertThat(Integer.bitCount(stripes)).isEqualTo(1);
		assertThat(stripes).isGreaterThanOrEqualTo(Math.min(16, 2 * Runtime.getRuntime().availableProcessors()))
			.isLessThanOrEqualTo(16);
	}

	@Test
	void stripesMustBeAPowerOfTwo() {
		assertThatIllegalArgumentException().isThrownBy(() -> new StripedSequence(6))
			.withMessage("stripes must be a positive power of two, was 6");
	}

}
