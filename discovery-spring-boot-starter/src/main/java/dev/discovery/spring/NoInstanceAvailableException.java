package dev.discovery.spring;

import java.io.IOException;

/**
 * Thrown by a load-balanced client when a service has no instance to call. It is an
 * {@link IOException} so that {@code RestClient} reports it like any failure to reach a
 * server; the message names the service. The host name is never tried in DNS.
 */
public class NoInstanceAvailableException extends IOException {

	private final String service;

	/**
	 * Creates the exception.
	 * @param service the service that had no instance
	 * @param reason why, for the message
	 */
	public NoInstanceAvailableException(String service, String reason) {
		super("No instance of service '" + service + "' to call: " + reason);
		this.service = service;
	}

	/**
	 * Returns the service that had no instance.
	 * @return the service name
	 */
	public String getService() {
		return this.service;
	}

}
