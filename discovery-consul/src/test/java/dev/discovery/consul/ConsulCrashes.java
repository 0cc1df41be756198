package dev.discovery.consul;

/**
 * Lets tests in other modules stop a {@link ConsulBackend} as a killed process stops: its
 * TTL checks are no longer passed and nothing is deregistered, so the agent marks its
 * services critical after the TTL.
 */
public final class ConsulCrashes {

	private ConsulCrashes() {
	}

	/**
	 * Stops the backend's heartbeats without deregistering anything.
	 * @param backend the backend
	 */
	public static void crash(ConsulBackend backend) {
		backend.crash();
	}

}
