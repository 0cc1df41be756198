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
		return (int) Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((thread) -> thread.isAlive() && thread.getName().startsWith("discovery-consul-"))
			.count();
	}

}
