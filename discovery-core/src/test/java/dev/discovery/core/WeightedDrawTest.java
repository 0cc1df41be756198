package dev.discovery.core;

import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class WeightedDrawTest {

	private static final int GRID = 1 << 16;

	@Test
	void everyPositionGetsExactlyItsWeightsShareOfTheRandomBits() {
		List<ServiceInstance> candidates = weighted(1, 2, 3, 4);
		WeightedDraw draw = WeightedDraw.of(candidates);

		int[] drawn = drawOverEveryColumnAndAGridOfShares(draw, candidates.size());

		double cells = (double) candidates.size() * GRID;
		for (int i = 0; i < candidates.size(); i++) {
			assertThat(drawn[i] / cells).as("position %d", i)
				.isCloseTo(candidates.get(i).weight() / 10.0, within(1.0 / GRID));
		}
	}

	@Test
	void seededDrawsFollowTheWeights() {
		List<ServiceInstance> candidates = weighted(1, 1000, 7, 500, 3, 1);
		WeightedDraw draw = WeightedDraw.of(candidates);
		SplittableRandom random = new SplittableRandom(42);
		int draws = 4_000_000;
		int[] drawn = new int[candidates.size()];

		for (int i = 0; i < draws; i++) {
			drawn[draw.next(random)]++;
		}

		for (int i = 0; i < candidates.size(); i++) {
			double expected = (double) draws * candidates.get(i).weight() / 1512;
			assertThat(drawn[i] / expected).as("position %d", i).isCloseTo(1, within(0.05));
		}
		assertThat(drawn[1] / (draws * 1000.0 / 1512)).isCloseTo(1, within(0.01));
	}

	@Test
	void equalWeightsAreDrawnUniformly() {
		List<ServiceInstance> candidates = weighted(3, 3, 3);
		WeightedDraw draw = WeightedDraw.of(candidates);

		int[] drawn = drawOverEveryColumnAndAGridOfShares(draw, candidates.size());

		assertThat(drawn).containsOnly(GRID);
	}

	/**
	 * Feeds the draw every column and, within each, shares spread evenly over 32 bits, so
	 * that the counts are the table's exact probabilities at the grid's resolution.
	 */
	private static int[] drawOverEveryColumnAndAGridOfShares(WeightedDraw draw, int columns) {
		int[] drawn = new int[columns];
		for (int column = 0; column < columns; column++) {
			long high = Math.floorDiv(((long) column << 32) + columns - 1, columns);
			for (int share = 0; share < GRID; share++) {
				drawn[draw.next(fixed((high << 32) | ((long) share << 16)))]++;
			}
		}
		return drawn;
	}

	private static RandomGenerator fixed(long bits) {
		return () -> bits;
	}

	private static List<ServiceInstance> weighted(int... weights) {
		return IntStream.range(0, weights.length)
			.mapToObj((i) -> ServiceInstance.builder("svc", "10.0.0." + (i + 1), 8080).weight(weights[i]).build())
			.toList();
	}

}
