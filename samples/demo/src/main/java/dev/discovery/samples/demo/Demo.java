package dev.discovery.samples.demo;

/**
 * The demo's command line: runs the {@link DemoScenario} and exits with its result.
 */
public final class Demo {

	private Demo() {
	}

	/**
	 * Runs the scenario; exits with 0 when every step behaved as expected, and with 1, after
	 * naming the step that did not, otherwise.
	 * @param args ignored
	 */
	public static void main(String[] args) {
		System.exit(new DemoScenario(System.out).run());
	}

}
