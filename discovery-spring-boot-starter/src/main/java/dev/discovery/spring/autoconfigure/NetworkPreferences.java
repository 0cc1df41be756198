package dev.discovery.spring.autoconfigure;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import dev.discovery.core.Validation;

/**
 * Which of the machine's addresses host detection may register, from
 * {@code discovery.instance.preferred-networks} and {@code ignored-interfaces}: an address
 * inside one of the preferred networks (any address when none is given) of an interface
 * whose name matches none of the ignored patterns. Immutable.
 */
final class NetworkPreferences {

	/** No preference: every address may be registered. */
	static final NetworkPreferences NONE = new NetworkPreferences(List.of(), List.of());

	private static final Pattern ADDRESS_LITERAL = Pattern.compile("[0-9A-Fa-f.:]+");

	private final List<Network> preferred;

	private final List<Pattern> ignored;

	private NetworkPreferences(List<Network> preferred, List<Pattern> ignored) {
		this.preferred = preferred;
		this.ignored = ignored;
	}

	/**
	 * Reads the preferences.
	 * @param preferredNetworks CIDR blocks such as {@code 10.0.0.0/8} or {@code fd00::/8}
	 * @param ignoredInterfaces regular expressions that a whole interface name must match to be
	 * ignored, such as {@code docker0} or {@code veth.*}
	 * @return the preferences
	 * @throws IllegalArgumentException naming the first value that is not a CIDR block or
	 * not a regular expression
	 */
	static NetworkPreferences of(List<String> preferredNetworks, List<String> ignoredInterfaces) {
		List<Network> preferred = preferredNetworks.stream().map(Network::parse).toList();
		List<Pattern> ignored = ignoredInterfaces.stream().map(NetworkPreferences::pattern).toList();
		return new NetworkPreferences(preferred, ignored);
	}

	/**
	 * Returns whether interfaces are ignored.
	 * @return {@code true} if some interface names are ignored
	 */
	boolean hasIgnoredInterfaces() {
		return !this.ignored.isEmpty();
	}

	/**
	 * Returns whether preferred networks are given.
	 * @return {@code true} if only addresses inside them are admitted
	 */
	boolean hasPreferredNetworks() {
		return !this.preferred.isEmpty();
	}

	/**
	 * Returns the same preferences without the preferred networks, for when no address is in
	 * them.
	 * @return the ignored interfaces alone
	 */
	NetworkPreferences withoutPreferredNetworks() {
		return new NetworkPreferences(List.of(), this.ignored);
	}

	/**
	 * Returns whether an address lies in a preferred network, or whether no network is
	 * preferred.
	 * @param address the address
	 * @return whether it may be registered as far as networks go
	 */
	boolean admits(InetAddress address) {
		return this.preferred.isEmpty() || this.preferred.stream().anyMatch((network) -> network.contains(address));
	}

	/**
	 * Returns whether an interface is ignored.
	 * @param interfaceName the interface's name
	 * @return whether a pattern matches the whole name
	 */
	boolean ignores(String interfaceName) {
		return this.ignored.stream().anyMatch((pattern) -> pattern.matcher(interfaceName).matches());
	}

	/**
	 * Describes the preferred networks for the log.
	 * @return the CIDR blocks as configured
	 */
	String describePreferred() {
		return this.preferred.stream().map(Network::cidr).toList().toString();
	}

	private static Pattern pattern(String regex) {
		try {
			return Pattern.compile(regex);
		}
		catch (PatternSyntaxException ex) {
			throw Validation.invalid("ignored interface", regex,
					"must be a regular expression of interface names (" + ex.getDescription() + ")");
		}
	}

	/**
	 * A CIDR block: the addresses whose first {@code bits} bits equal the prefix's.
	 */
	private record Network(String cidr, byte[] prefix, int bits) {

		private static final String RULE = "must be a CIDR block, an IP address and a prefix length such as "
				+ "10.0.0.0/8 or fd00::/8";

		static Network parse(String cidr) {
			int slash = cidr.indexOf('/');
			if (slash < 0 || !ADDRESS_LITERAL.matcher(cidr.substring(0, slash)).matches()) {
				throw Validation.invalid("preferred network", cidr, RULE);
			}
			try {
				byte[] prefix = InetAddress.getByName(cidr.substring(0, slash)).getAddress();
				int bits = Integer.parseInt(cidr.substring(slash + 1));
				if (bits < 0 || bits > prefix.length * 8) {
					throw Validation.invalid("preferred network", cidr,
							"must have a prefix length of 0 to " + (prefix.length * 8));
				}
				return new Network(cidr, prefix, bits);
			}
			catch (UnknownHostException | NumberFormatException ex) {
				throw Validation.invalid("preferred network", cidr, RULE);
			}
		}

		boolean contains(InetAddress address) {
			byte[] bytes = address.getAddress();
			if (bytes.length != this.prefix.length) {
				return false;
			}
			int whole = this.bits / 8;
			for (int i = 0; i < whole; i++) {
				if (bytes[i] != this.prefix[i]) {
					return false;
				}
			}
			int rest = this.bits % 8;
			if (rest == 0) {
				return true;
			}
			int mask = (0xFF << (8 - rest)) & 0xFF;
			return (bytes[whole] & mask) == (this.prefix[whole] & mask);
		}

	}

}
