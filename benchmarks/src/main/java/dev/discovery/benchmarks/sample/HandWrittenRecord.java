package dev.discovery.benchmarks.sample;

/**
 * What both hand-written registrations put in etcd, so that their startup arms differ only
 * in the client: the sample's address under a key of its own, held by a lease of
 * {@value #LEASE_SECONDS} seconds.
 *
 * @param key the key
 * @param value the address as JSON
 */
record HandWrittenRecord(String key, String value) {

	/** How long the lease lives without a renewal. */
	static final long LEASE_SECONDS = 30;

	/**
	 * Returns the record of the sample serving on a port of the loopback address.
	 * @param port the web server's port
	 * @return the key and value to put
	 */
	static HandWrittenRecord of(int port) {
		return new HandWrittenRecord("/hand-written/startup-sample/127.0.0.1:" + port,
				"{\"host\":\"127.0.0.1\",\"port\":" + port + "}");
	}

}
