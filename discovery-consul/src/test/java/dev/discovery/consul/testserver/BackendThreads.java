package dev.discovery.consul.testserver;

/**
 * Counts the threads of Consul backends: all of them are named {@code discovery-consul-…},
 * the I/O thread of the HTTP/2 streams over https included.
 */
public final class BackendThreads {

	private BackendThreads() {
	}

	/**
	 * Counts the live threads of the Consul backends in this JVM.
	 * @return the count
	 */
	public static int count() {
		return named("discovery-consul-");
	}

	/**
	 * Counts the live I/O threads of the Consul backends' HTTP/2 streams in this JVM.
	 * @return the count
	 */
	public static int streamIoThreads() {
		return named("discovery-consul-http2-");
	}

	private static int named(String prefix) {
		return (int) Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((thread) -> thread.isAlive() && thread.getName().startsWith(prefix))
			.count();
	}

}
