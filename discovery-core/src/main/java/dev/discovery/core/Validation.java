package dev.discovery.core;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The single place where user input is checked before it reaches a registry. Every check
 * either returns the normalised value or throws an {@link InvalidValueException} whose
 * message names the field, the offending value (cut short and escaped) and the rule.
 * <p>
 * The limits are those of the strictest backend (Consul), so that an instance valid here is
 * valid everywhere. Service names and instance ids become etcd key segments and Consul URL
 * path segments, so they are restricted to characters that need no escaping in either and
 * can never form a path segment {@code .} or {@code ..}. Together the limits bound the
 * stored form of one instance to about 60 KB, far below etcd's request limit of 1.5 MiB.
 * Stateless and thread-safe.
 */
public final class Validation {

	/** Longest service name, in characters (a DNS label). */
	public static final int MAX_SERVICE_NAME_LENGTH = 63;

	/** Longest instance id, in characters. */
	public static final int MAX_INSTANCE_ID_LENGTH = 128;

	/** Longest host name, in characters (a DNS name). */
	public static final int MAX_HOST_LENGTH = 253;

	/** Most metadata entries on one instance. */
	public static final int MAX_METADATA_ENTRIES = 64;

	/** Longest metadata key, in characters. */
	public static final int MAX_METADATA_KEY_LENGTH = 128;

	/** Longest metadata value, in bytes of UTF-8 (Consul counts bytes). */
	public static final int MAX_METADATA_VALUE_LENGTH = 512;

	/** Most tags on one instance. */
	public static final int MAX_TAGS = 64;

	/** Longest tag, in characters. */
	public static final int MAX_TAG_LENGTH = 255;

	/** Smallest instance weight. */
	public static final int MIN_WEIGHT = 1;

	/** Largest instance weight. */
	public static final int MAX_WEIGHT = 1000;

	private static final int SHOWN_VALUE_LENGTH = 40;

	private static final String NAME_RULE = "must be 1-%d characters of [A-Za-z0-9._-], start with a letter or digit, and not contain '..'";

	private Validation() {
	}

	/**
	 * Checks a service name and returns it in lower case, the form every backend stores.
	 * @param name the name to check
	 * @return the lower-case name
	 * @throws IllegalArgumentException if the name breaks the rule
	 */
	public static String serviceName(@Nullable String name) {
		return name("service name", name, MAX_SERVICE_NAME_LENGTH);
	}

	/**
	 * Checks an instance id and returns it in lower case, the form every backend stores.
	 * @param id the id to check
	 * @return the lower-case id
	 * @throws IllegalArgumentException if the id breaks the rule
	 */
	public static String instanceId(@Nullable String id) {
		return name("instance id", id, MAX_INSTANCE_ID_LENGTH);
	}

	/**
	 * Checks a host: a DNS name, an IPv4 address or an IPv6 address (unbracketed), without a
	 * scheme, port or path. A host with a colon must be an IPv6 address, so that
	 * {@code host:port} is rejected.
	 * @param host the host to check
	 * @return the host, unchanged
	 * @throws IllegalArgumentException if the host is empty, too long, or not a bare host
	 */
	public static String host(@Nullable String host) {
		String rule = "must be a host name or IP address of 1-" + MAX_HOST_LENGTH
				+ " characters, without scheme, port or path";
		if (host == null || host.isEmpty() || host.length() > MAX_HOST_LENGTH) {
			throw invalid("host", host, rule);
		}
		if (host.contains("://")) {
			throw invalid("host", host, rule + " (remove the scheme)");
		}
		boolean ipv6 = host.indexOf(':') >= 0;
		for (int i = 0; i < host.length(); i++) {
			char c = host.charAt(i);
			boolean allowed = isAsciiLetterOrDigit(c) || c == '.' || c == '-' || c == '_' || (ipv6 && c == ':');
			if (!allowed) {
				throw invalid("host", host, rule);
			}
		}
		if (ipv6 && !isIpv6Address(host)) {
			throw invalid("host", host, rule + " (a host with ':' must be an IPv6 address)");
		}
		return host;
	}

	/**
	 * Checks a TCP port.
	 * @param field the name of the field, for the message
	 * @param port the port to check
	 * @return the port
	 * @throws IllegalArgumentException if the port is outside 1-65535
	 */
	public static int port(String field, int port) {
		if (port < 1 || port > 65535) {
			throw invalid(field, String.valueOf(port), "must be between 1 and 65535");
		}
		return port;
	}

	/**
	 * Checks an instance weight.
	 * @param weight the weight to check
	 * @return the weight
	 * @throws IllegalArgumentException if the weight is outside 1-1000
	 */
	public static int weight(int weight) {
		if (weight < MIN_WEIGHT || weight > MAX_WEIGHT) {
			throw invalid("weight", String.valueOf(weight), "must be between " + MIN_WEIGHT + " and " + MAX_WEIGHT);
		}
		return weight;
	}

	/**
	 * Checks an optional zone name with the same rule as service names.
	 * @param zone the zone, or {@code null} for none
	 * @return the lower-case zone, or {@code null}
	 * @throws IllegalArgumentException if the zone breaks the rule
	 */
	public static @Nullable String zone(@Nullable String zone) {
		return (zone != null) ? name("zone", zone, MAX_SERVICE_NAME_LENGTH) : null;
	}

	/**
	 * Checks instance tags: at most 64, each 1-255 printable ASCII characters.
	 * @param tags the tags to check
	 * @throws IllegalArgumentException if a tag or the count breaks the rule
	 */
	public static void tags(Collection<String> tags) {
		if (tags.size() > MAX_TAGS) {
			throw invalid("tags", tags.size() + " tags", "must be at most " + MAX_TAGS + " tags");
		}
		for (String tag : tags) {
			if (tag == null || tag.isEmpty() || tag.length() > MAX_TAG_LENGTH || !isPrintableAscii(tag)) {
				throw invalid("tag", tag, "must be 1-" + MAX_TAG_LENGTH + " printable ASCII characters");
			}
		}
	}

	/**
	 * Checks instance metadata: at most 64 entries; keys of 1-128 characters of
	 * {@code [A-Za-z0-9_-]} that do not start with the reserved prefixes {@code consul-} or
	 * {@code discovery-}; values of well-formed text (no unpaired surrogate, which no backend
	 * could store faithfully) of at most 512 bytes in UTF-8.
	 * @param metadata the metadata to check
	 * @throws IllegalArgumentException if an entry or the count breaks the rule
	 */
	public static void metadata(Map<String, String> metadata) {
		if (metadata.size() > MAX_METADATA_ENTRIES) {
			throw invalid("metadata", metadata.size() + " entries", "must have at most " + MAX_METADATA_ENTRIES + " entries");
		}
		for (Map.Entry<String, String> entry : metadata.entrySet()) {
			String key = entry.getKey();
			if (!isMetadataKey(key)) {
				throw invalid("metadata key", key, "must be 1-" + MAX_METADATA_KEY_LENGTH
						+ " characters of [A-Za-z0-9_-] and not start with 'consul-' or 'discovery-'");
			}
			String value = entry.getValue();
			if (value == null || !isWellFormed(value)
					|| value.getBytes(StandardCharsets.UTF_8).length > MAX_METADATA_VALUE_LENGTH) {
				throw invalid("metadata value of '" + key + "'", value,
						"must be text of at most " + MAX_METADATA_VALUE_LENGTH + " bytes in UTF-8");
			}
		}
	}

	/**
	 * Checks that a duration is strictly positive.
	 * @param field the name of the field, for the message
	 * @param duration the duration to check
	 * @return the duration
	 * @throws IllegalArgumentException if the duration is null, zero or negative
	 */
	public static Duration positive(String field, @Nullable Duration duration) {
		if (duration == null || duration.isZero() || duration.isNegative()) {
			throw invalid(field, (duration != null) ? duration.toString() : null, "must be a positive duration");
		}
		return duration;
	}

	/**
	 * Checks that a count lies in a range.
	 * @param field the name of the field, for the message
	 * @param value the value to check
	 * @param min the smallest allowed value
	 * @param max the largest allowed value
	 * @return the value
	 * @throws IllegalArgumentException if the value is outside {@code min..max}
	 */
	public static int between(String field, int value, int min, int max) {
		if (value < min || value > max) {
			throw invalid(field, String.valueOf(value), "must be between " + min + " and " + max);
		}
		return value;
	}

	/**
	 * Builds the exception every check throws, so that callers outside this class (backends
	 * checking their own settings) phrase errors the same way.
	 * @param field the name of the field
	 * @param value the offending value, shown cut short and escaped
	 * @param rule what the value must be
	 * @return the exception to throw, whose {@link InvalidValueException#getField() field}
	 * is {@code field}
	 */
	public static InvalidValueException invalid(String field, @Nullable String value, String rule) {
		return new InvalidValueException(field, "Invalid " + field + " " + show(value) + ": " + rule);
	}

	/**
	 * Renders a value for an error message: quoted, non-printable and non-ASCII characters
	 * escaped as {@code \\uXXXX}, and cut after 40 characters with the full length noted.
	 * @param value the value, or {@code null}
	 * @return the printable rendering
	 */
	public static String show(@Nullable String value) {
		if (value == null) {
			return "null";
		}
		StringBuilder shown = new StringBuilder("'");
		int end = Math.min(value.length(), SHOWN_VALUE_LENGTH);
		for (int i = 0; i < end; i++) {
			char c = value.charAt(i);
			if (c >= 0x20 && c < 0x7f) {
				shown.append(c);
			}
			else {
				shown.append(String.format("\\u%04X", (int) c));
			}
		}
		shown.append('\'');
		if (value.length() > SHOWN_VALUE_LENGTH) {
			shown.append("... (").append(value.length()).append(" characters)");
		}
		return shown.toString();
	}

	private static String name(String field, @Nullable String value, int maxLength) {
		if (value == null || value.isEmpty() || value.length() > maxLength || !isAsciiLetterOrDigit(value.charAt(0))
				|| value.contains("..")) {
			throw invalid(field, value, NAME_RULE.formatted(maxLength));
		}
		for (int i = 1; i < value.length(); i++) {
			char c = value.charAt(i);
			if (!isAsciiLetterOrDigit(c) && c != '.' && c != '_' && c != '-') {
				throw invalid(field, value, NAME_RULE.formatted(maxLength));
			}
		}
		return value.toLowerCase(Locale.ROOT);
	}

	private static boolean isMetadataKey(@Nullable String key) {
		if (key == null || key.isEmpty() || key.length() > MAX_METADATA_KEY_LENGTH) {
			return false;
		}
		String lower = key.toLowerCase(Locale.ROOT);
		if (lower.startsWith("consul-") || lower.startsWith("discovery-")) {
			return false;
		}
		for (int i = 0; i < key.length(); i++) {
			char c = key.charAt(i);
			if (!isAsciiLetterOrDigit(c) && c != '_' && c != '-') {
				return false;
			}
		}
		return true;
	}

	private static boolean isIpv6Address(String host) {
		try {
			return new URI(null, "[" + host + "]", null, null, null).getHost() != null;
		}
		catch (URISyntaxException ex) {
			return false;
		}
	}

	private static boolean isWellFormed(String value) {
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
				i++;
			}
			else if (Character.isSurrogate(c)) {
				return false;
			}
		}
		return true;
	}

	private static boolean isPrintableAscii(String value) {
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c < 0x20 || c >= 0x7f) {
				return false;
			}
		}
		return true;
	}

	private static boolean isAsciiLetterOrDigit(char c) {
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
	}

}
