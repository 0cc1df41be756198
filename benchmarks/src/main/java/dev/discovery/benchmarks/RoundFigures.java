package dev.discovery.benchmarks;

import java.util.DoubleSummaryStatistics;
import java.util.List;

/**
 * Summaries of a figure measured once per round (or turn, or view) of a section, for the
 * sections that judge the median of their rounds rather than one long measurement.
 */
final class RoundFigures {

	private RoundFigures() {
	}

	/**
	 * Returns the median of the rounds' figures.
	 * @param values at least one figure
	 * @return the middle figure, or the mean of the two middle ones when their number is even
	 */
	static double median(List<Double> values) {
		double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
		return (sorted[(sorted.length - 1) / 2] + sorted[sorted.length / 2]) / 2;
	}

	/**
	 * Returns the smallest and largest of the rounds' figures, as the report writes figures.
	 * @param values at least one figure
	 * @return {@code min–max}
	 */
	static String range(List<Double> values) {
		DoubleSummaryStatistics statistics = values.stream().mapToDouble(Double::doubleValue).summaryStatistics();
		return Report.format(statistics.getMin()) + "–" + Report.format(statistics.getMax());
	}

}
