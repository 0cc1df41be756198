package dev.discovery.core;

/**
 * Thrown by {@link Validation} when a value breaks its rule. The message names the field,
 * the value (cut short and escaped) and the rule; {@link #getField()} gives the field alone,
 * so that a caller can say where the value came from (for example which configuration
 * property to fix).
 */
public class InvalidValueException extends IllegalArgumentException {

	private final String field;

	/**
	 * Creates the exception.
	 * @param field the name of the field that holds the value
	 * @param message the complete message: field, value and rule
	 */
	public InvalidValueException(String field, String message) {
		super(message);
		this.field = field;
	}

	/**
	 * Returns the name of the field whose value broke the rule, as the checking code names it
	 * (for a builder, the name of its setter).
	 * @return the field name
	 */
	public String getField() {
		return this.field;
	}

}
