package dev.discovery.consul.testserver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Counts the established TCP connections from one loopback address to one port, as the
 * kernel lists them in {@code /proc/net/tcp} and {@code /proc/net/tcp6}: what a server that
 * limits connections per client address (as Consul does) sees from that address. Linux only.
 * <p>
 * One reading of those tables is not a snapshot: the kernel lists its connections a hash
 * bucket at a time, so while connections are being replaced a reading can list one that
 * closed before a later bucket was read beside one that opened after an earlier bucket
 * was, and count more connections than were ever open at once. A connection listed in two
 * successive readings was established for the whole time between them, so only those are
 * counted. {@link ConnectionPeak} follows the count over time at the cost of one reading
 * per period.
 */
public final class LoopbackConnections {

	private static final String ESTABLISHED = "01";

	private LoopbackConnections() {
	}

	/**
	 * Counts the connections that were all established at one moment, as the class comment
	 * explains: never more than were open at once, and all of them when none opened or
	 * closed during the two readings.
	 * @param from the client's loopback address, such as {@code 127.0.0.1}
	 * @param port the server's port
	 * @return how many were established at once while the tables were read
	 */
	public static int count(String from, int port) {
		return listedInBoth(established(from, port), established(from, port));
	}

	/**
	 * Counts the connections two readings both list, which were all established at once.
	 * @param earlier the earlier reading
	 * @param later the later reading
	 * @return how many of the earlier reading's connections the later one lists
	 */
	static int listedInBoth(Set<String> earlier, Set<String> later) {
		return (int) earlier.stream().filter(later::contains).count();
	}

	/**
	 * Reads the tables once.
	 * @param from the client's loopback address
	 * @param port the server's port
	 * @return each connection's local and remote address, as the tables write them
	 */
	static Set<String> established(String from, int port) {
		String ipv4 = hex(from);
		String remotePort = String.format(Locale.ROOT, ":%04X", port);
		Set<String> connections = new HashSet<>();
		for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
			for (String line : lines(table)) {
				String[] fields = line.trim().split("\\s+");
				if (fields.length > 3 && fields[3].equals(ESTABLISHED) && fields[2].endsWith(remotePort)
						&& fields[1].substring(0, fields[1].indexOf(':')).endsWith(ipv4)) {
					connections.add(fields[1] + " " + fields[2]);
				}
			}
		}
		return connections;
	}

	private static List<String> lines(String table) {
		try {
			List<String> lines = Files.readAllLines(Path.of(table));
			return lines.subList(Math.min(1, lines.size()), lines.size());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not read " + table, ex);
		}
	}

	/** The address as /proc/net/tcp writes it: the four bytes in the host's (little-endian) order. */
	private static String hex(String address) {
		String[] bytes = address.split("\\.");
		StringBuilder hex = new StringBuilder();
		for (int i = bytes.length - 1; i >= 0; i--) {
			hex.append(String.format(Locale.ROOT, "%02X", Integer.parseInt(bytes[i])));
		}
		return hex.toString();
	}

}
