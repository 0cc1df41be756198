package dev.discovery.spring.autoconfigure;

/**
 * Thrown at startup when a {@code discovery.*} setting is unusable. It names the property
 * and says what to set; {@link DiscoveryFailureAnalyzer} turns it into the startup report.
 */
public class InvalidDiscoveryPropertyException extends RuntimeException {

	private final String property;

	private final String action;

	/**
	 * Creates the exception.
	 * @param property the property to fix, for example {@code discovery.etcd.endpoints}
	 * @param problem what is wrong with it
	 * @param action what to set instead
	 */
	public InvalidDiscoveryPropertyException(String property, String problem, String action) {
		super(property + ": " + problem);
		this.property = property;
		this.action = action;
	}

	/**
	 * Returns the property to fix.
	 * @return the property name
	 */
	public String getProperty() {
		return this.property;
	}

	/**
	 * Returns what to set instead.
	 * @return the action, for the startup report
	 */
	public String getAction() {
		return this.action;
	}

}
