package dev.discovery.spring.autoconfigure;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.helpers.NOPLogger;

/**
 * Detects the host this application registers when {@code discovery.instance.host} is not
 * set. The machine's host name, or with {@code prefer-ip-address} the address it resolves
 * to, when that address is not a loopback address. Otherwise, as on machines whose
 * {@code /etc/hosts} maps the host name to {@code 127.0.1.1} or whose host name does not
 * resolve, an address other machines can reach: the first IPv4 address, else the first
 * IPv6 address, of an interface that is up, in the order of the interfaces' indexes, never
 * a loopback, link-local, wildcard or multicast address. Only a machine without such an
 * address registers its loopback address, with a warning. Registering a loopback address
 * would make every other instance call itself.
 * <p>
 * {@link NetworkPreferences} narrow the choice: the host name serves only when its address
 * lies in a preferred network and belongs to no ignored interface, and only such interface
 * addresses are chosen. When no address lies in a preferred network, detection warns and
 * chooses as if none were preferred.
 */
final class HostDetector {

	private static final Comparator<LocalAddress> PREFERRED = Comparator
		.comparing((LocalAddress local) -> !(local.address() instanceof Inet4Address))
		.thenComparingInt(LocalAddress::interfaceIndex);

	private final HostName hostName;

	private final Interfaces interfaces;

	private final NetworkPreferences preferences;

	private final Logger logger;

	/**
	 * Creates a detector on the given sources, for tests.
	 * @param hostName resolves the machine's host name
	 * @param interfaces lists the addresses of the interfaces that are up
	 * @param preferences which addresses may be chosen
	 */
	HostDetector(HostName hostName, Interfaces interfaces, NetworkPreferences preferences) {
		this(hostName, interfaces, preferences, LoggerFactory.getLogger(HostDetector.class));
	}

	private HostDetector(HostName hostName, Interfaces interfaces, NetworkPreferences preferences, Logger logger) {
		this.hostName = hostName;
		this.interfaces = interfaces;
		this.preferences = preferences;
		this.logger = logger;
	}

	/**
	 * A detector on this machine's host name and network interfaces.
	 * @param preferences which addresses may be chosen
	 * @return the detector
	 */
	static HostDetector onThisMachine(NetworkPreferences preferences) {
		return onThisMachine(preferences, LoggerFactory.getLogger(HostDetector.class));
	}

	private static HostDetector onThisMachine(NetworkPreferences preferences, Logger logger) {
		return new HostDetector(InetAddress::getLocalHost, HostDetector::upInterfaceAddresses, preferences, logger);
	}

	/**
	 * Detects the host to register.
	 * @param preferIpAddress whether to return an IP address even where the host name
	 * serves
	 * @return a host name or IP address, never {@code null}
	 */
	String detect(boolean preferIpAddress) {
		return detect(preferIpAddress, this.preferences, new ListedOnce(this.interfaces));
	}

	private String detect(boolean preferIpAddress, NetworkPreferences preferences, ListedOnce listed) {
		String unusable;
		try {
			InetAddress named = this.hostName.resolve();
			String refusal = refusal(named, preferences, listed);
			if (refusal == null) {
				return preferIpAddress ? named.getHostAddress() : named.getHostName();
			}
			unusable = "The host name " + named.getHostName() + " resolves to " + named.getHostAddress() + refusal;
		}
		catch (UnknownHostException ex) {
			unusable = "The host name does not resolve (" + ex.getMessage() + ")";
		}
		String loopback = InetAddress.getLoopbackAddress().getHostAddress();
		try {
			Optional<LocalAddress> reachable = listed.list()
				.stream()
				.filter((local) -> admitted(local, preferences))
				.min(PREFERRED);
			if (reachable.isEmpty() && preferences.hasPreferredNetworks()) {
				this.logger.warn("No interface that is up has an address in discovery.instance.preferred-networks {}; "
						+ "detecting the host as if none were preferred", preferences.describePreferred());
				return detect(preferIpAddress, preferences.withoutPreferredNetworks(), listed);
			}
			if (reachable.isPresent()) {
				String host = unscoped(reachable.get().address()).getHostAddress();
				this.logger.info("{} on this machine; registering {} of interface {} instead. Set discovery.instance.host "
						+ "to register another host", unusable, host, reachable.get().interfaceName());
				return host;
			}
			this.logger.warn("{} on this machine and no interface that is up has an address other machines can reach; "
					+ "registering {}. Set discovery.instance.host so that other machines can reach this instance",
					unusable, loopback);
		}
		catch (SocketException ex) {
			this.logger.warn("{} on this machine and its interfaces could not be listed ({}); registering {}. Set "
					+ "discovery.instance.host so that other machines can reach this instance", unusable,
					ex.getMessage(), loopback);
		}
		return loopback;
	}

	/**
	 * Detects once on this machine without logging and forgets the answer, for
	 * {@link HostDetectionPreloader}: afterwards the JDK holds the resolved host name for a
	 * few seconds and the classes detection uses are loaded, so that the detection that
	 * counts costs the main thread little.
	 */
	static void warmUp() {
		onThisMachine(NetworkPreferences.NONE, NOPLogger.NOP_LOGGER).detect(false);
	}

	/**
	 * Says why the host name's address may not be registered, or returns {@code null} when
	 * it may. Lists the interfaces only where some are ignored; where they cannot be listed,
	 * none is known to be ignored.
	 */
	private static @Nullable String refusal(InetAddress named, NetworkPreferences preferences, ListedOnce listed) {
		if (named.isLoopbackAddress() || named.isAnyLocalAddress()) {
			return "";
		}
		if (!preferences.admits(named)) {
			return ", outside discovery.instance.preferred-networks " + preferences.describePreferred();
		}
		if (preferences.hasIgnoredInterfaces()) {
			try {
				for (LocalAddress local : listed.list()) {
					if (local.address().equals(named) && preferences.ignores(local.interfaceName())) {
						return ", of interface " + local.interfaceName()
								+ ", which discovery.instance.ignored-interfaces ignores";
					}
				}
			}
			catch (SocketException ex) {
				return null;
			}
		}
		return null;
	}

	private static boolean admitted(LocalAddress local, NetworkPreferences preferences) {
		InetAddress address = local.address();
		return !address.isLoopbackAddress() && !address.isLinkLocalAddress() && !address.isAnyLocalAddress()
				&& !address.isMulticastAddress() && !preferences.ignores(local.interfaceName())
				&& preferences.admits(address);
	}

	private static InetAddress unscoped(InetAddress address) {
		try {
			return InetAddress.getByAddress(address.getAddress());
		}
		catch (UnknownHostException ex) {
			throw new IllegalStateException("An interface address of neither 4 nor 16 bytes: " + address, ex);
		}
	}

	private static List<LocalAddress> upInterfaceAddresses() throws SocketException {
		List<LocalAddress> addresses = new ArrayList<>();
		for (NetworkInterface network : Collections.list(NetworkInterface.getNetworkInterfaces())) {
			if (network.isUp() && !network.isLoopback()) {
				for (InetAddress address : Collections.list(network.getInetAddresses())) {
					addresses.add(new LocalAddress(network.getName(), network.getIndex(), address));
				}
			}
		}
		return addresses;
	}

	/**
	 * Resolves the machine's host name, as {@link InetAddress#getLocalHost()} does.
	 */
	@FunctionalInterface
	interface HostName {

		/**
		 * Resolves the host name.
		 * @return the address with the host name
		 * @throws UnknownHostException if the host name does not resolve
		 */
		InetAddress resolve() throws UnknownHostException;

	}

	/**
	 * Lists the addresses of the machine's interfaces that are up.
	 */
	@FunctionalInterface
	interface Interfaces {

		/**
		 * Lists the addresses.
		 * @return every address of every interface that is up
		 * @throws SocketException if the interfaces cannot be listed
		 */
		List<LocalAddress> list() throws SocketException;

	}

	/**
	 * The interfaces' addresses of one detection, listed on first use and at most once:
	 * listing reads every interface from the kernel, and a detection may need the list to
	 * judge the host name, to choose an address, and again without preferred networks.
	 */
	private static final class ListedOnce {

		private final Interfaces interfaces;

		private @Nullable List<LocalAddress> addresses;

		private @Nullable SocketException failure;

		ListedOnce(Interfaces interfaces) {
			this.interfaces = interfaces;
		}

		List<LocalAddress> list() throws SocketException {
			if (this.addresses == null && this.failure == null) {
				try {
					this.addresses = this.interfaces.list();
				}
				catch (SocketException ex) {
					this.failure = ex;
				}
			}
			if (this.failure != null) {
				throw this.failure;
			}
			return this.addresses;
		}

	}

	/**
	 * An address of a network interface.
	 *
	 * @param interfaceName the interface's name, for the log
	 * @param interfaceIndex the interface's index; lower comes first
	 * @param address the address
	 */
	record LocalAddress(String interfaceName, int interfaceIndex, InetAddress address) {
	}

}
