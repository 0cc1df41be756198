package dev.discovery.benchmarks;

import java.lang.management.ManagementFactory;

import javax.management.JMException;
import javax.management.ObjectName;

/**
 * The bytes of every object reachable in this JVM's heap, summed from a class histogram of
 * live objects (the diagnostic command {@code GC.class_histogram}, which collects the whole
 * heap first). The heap's used size after a full collection is not that figure: it also
 * counts the unfilled ends of the collector's regions, which moved by up to 3.3 MB between
 * collections of the same live objects on this machine.
 */
final class LiveHeap {

	private static final String TOTAL = "Total";

	private LiveHeap() {
	}

	/**
	 * Collects the heap and returns the bytes of the objects that are still reachable.
	 * @return bytes
	 * @throws JMException if the JVM does not offer the diagnostic command
	 */
	static long bytes() throws JMException {
		String histogram = (String) ManagementFactory.getPlatformMBeanServer()
			.invoke(new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
					new Object[] { new String[0] }, new String[] { String[].class.getName() });
		return histogram.lines()
			.filter((line) -> line.startsWith(TOTAL))
			.map((line) -> line.substring(TOTAL.length()).trim().split("\\s+"))
			.mapToLong((counts) -> Long.parseLong(counts[1]))
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("The class histogram has no total: " + histogram));
	}

}
