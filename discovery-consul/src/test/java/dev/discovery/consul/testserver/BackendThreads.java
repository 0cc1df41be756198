package dev.discovery.consul.testserver;

/**
 * Counts the threads of Consul backends: their own ({@code discovery-consul-…}) and the
 * selector threads of the JDK HTTP clients that carry their streams over https, beyond those
 * that were alive when counting started (other clients in the JVM have them too).
 */
public final class BackendThreads {

	private static final String JDK_SELECTOR_THREADS = "HttpClient-\\d+-SelectorManager";

	private final long selectorsBefore;

	private BackendThreads(long selectorsBefore) {
		this.selectorsBefore = selectorsBefore;
	}

	/**
	 * Starts counting: call it before the backend is built.
	 * @return the counter
	 */
	public static BackendThreads start() {
		return new BackendThreads(named(JDK_SELECTOR_THREADS));
	}

	/**
	 * Counts the live threads of the backends built since {@link #start()}.
	 * @return the count
	 */
	public int count() {
		return (int) (named("discovery-consul-.*") + named(JDK_SELECTOR_THREADS) - this.selectorsBefore);
	}

	private static long named(String pattern) {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((thread) -> thread.isAlive() && thread.getName().matches(pattern))
			.count();
	}

}
