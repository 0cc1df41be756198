package dev.discovery.etcd;

/**
 * Lets tests in other modules stop an {@link EtcdBackend} as a killed process stops: the
 * keep-alive ends and nothing is revoked, so its registrations expire with the TTL.
 */
public final class EtcdCrashes {

	private EtcdCrashes() {
	}

	/**
	 * Stops the backend without deregistering anything.
	 * @param backend the backend
	 */
	public static void crash(EtcdBackend backend) {
		backend.crash();
	}

}
