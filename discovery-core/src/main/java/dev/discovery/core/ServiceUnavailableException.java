package dev.discovery.core;

/**
 * Thrown by {@link DiscoveryClient#execute(String, InstanceCall)} when a service has no
 * instance to call. The message names the service.
 */
public class ServiceUnavailableException extends RuntimeException {

	private final String service;

	/**
	 * Creates the exception.
	 * @param service the service without an instance
	 */
	public ServiceUnavailableException(String service) {
		super("No instance of service '" + service + "' to call: it has no UP instance");
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
