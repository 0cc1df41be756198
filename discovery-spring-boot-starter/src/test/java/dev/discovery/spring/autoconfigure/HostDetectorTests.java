package dev.discovery.spring.autoconfigure;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import dev.discovery.spring.autoconfigure.HostDetector.LocalAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Which host an application registers when {@code discovery.instance.host} is not set:
 * never a loopback address while an interface has one other machines can reach.
 */
@ExtendWith(OutputCaptureExtension.class)
class HostDetectorTests {

	private static final HostDetector.Interfaces NOT_CONSULTED = () -> {
		throw new AssertionError("the interfaces were listed although the host name served");
	};

	@Test
	void registersTheHostNameOrItsAddressWhenItIsNotLoopback() throws Exception {
		HostDetector detector = new HostDetector(() -> address("app-1.example.internal", "10.1.2.3"), NOT_CONSULTED, NetworkPreferences.NONE);
		assertThat(detector.detect(false)).isEqualTo("app-1.example.internal");
		assertThat(detector.detect(true)).isEqualTo("10.1.2.3");
	}

	@Test
	void registersAnInterfaceAddressWhenTheHostNameResolvesToLoopback(CapturedOutput output) throws Exception {
		List<LocalAddress> addresses = List.of(local("docker0", 5, "172.17.0.1"), local("eth0", 2, "169.254.10.1"),
				local("eth0", 2, "fe80::1"), local("eth1", 3, "192.0.2.7"), local("eth0", 2, "2001:db8::7"),
				local("lo", 1, "127.0.0.1"), local("eth0", 2, "224.0.0.1"));
		HostDetector detector = new HostDetector(() -> address("debian-vm", "127.0.1.1"), () -> addresses, NetworkPreferences.NONE);
		assertThat(detector.detect(false)).isEqualTo("192.0.2.7");
		assertThat(detector.detect(true)).isEqualTo("192.0.2.7");
		assertThat(output).contains("The host name debian-vm resolves to 127.0.1.1 on this machine; registering "
				+ "192.0.2.7 of interface eth1 instead. Set discovery.instance.host");
	}

	@Test
	void registersAnInterfaceAddressWhenTheHostNameDoesNotResolve() throws Exception {
		List<LocalAddress> addresses = List.of(local("eth0", 2, "10.0.0.9"));
		HostDetector detector = new HostDetector(() -> {
			throw new UnknownHostException("container-7f3a: Name or service not known");
		}, () -> addresses, NetworkPreferences.NONE);
		assertThat(detector.detect(false)).isEqualTo("10.0.0.9");
	}

	@Test
	void registersAnIpv6AddressWithoutItsScopeWhenThereIsNoIpv4One() throws Exception {
		InetAddress scoped = Inet6Address.getByAddress(null, InetAddress.getByName("fd00::2").getAddress(), 4);
		assertThat(scoped.getHostAddress()).endsWith("%4");
		List<LocalAddress> addresses = List.of(local("eth0", 4, "fe80::fc:ff:fe00:1"), new LocalAddress("eth0", 4, scoped));
		HostDetector detector = new HostDetector(() -> address("vm", "127.0.0.1"), () -> addresses, NetworkPreferences.NONE);
		String host = detector.detect(false);
		assertThat(host).isEqualTo("fd00:0:0:0:0:0:0:2");
		assertThat(InetAddress.getByName(host)).isEqualTo(InetAddress.getByName("fd00::2"));
	}

	@Test
	void registersLoopbackWithAWarningOnlyWhenNoInterfaceIsReachable(CapturedOutput output) throws Exception {
		List<LocalAddress> addresses = List.of(local("eth0", 2, "fe80::1"), local("eth0", 2, "169.254.0.3"));
		HostDetector detector = new HostDetector(() -> address("vm", "127.0.0.1"), () -> addresses, NetworkPreferences.NONE);
		assertThat(detector.detect(false)).isEqualTo("127.0.0.1");
		assertThat(output).contains("WARN").contains("registering 127.0.0.1. Set discovery.instance.host");
	}

	@Test
	void registersLoopbackWithAWarningWhenTheInterfacesCannotBeListed(CapturedOutput output) throws Exception {
		HostDetector detector = new HostDetector(() -> address("vm", "127.0.0.1"), () -> {
			throw new SocketException("no netlink");
		}, NetworkPreferences.NONE);
		assertThat(detector.detect(true)).isEqualTo("127.0.0.1");
		assertThat(output).contains("its interfaces could not be listed (no netlink)");
	}

	@Test
	void ignoredInterfacesAreNeverRegisteredNorIsAHostNameOnOne(CapturedOutput output) throws Exception {
		List<LocalAddress> addresses = List.of(local("docker0", 2, "172.17.0.1"), local("veth1a2b", 3, "10.9.0.1"),
				local("eth0", 4, "192.0.2.7"));
		NetworkPreferences ignoring = NetworkPreferences.of(List.of(), List.of("docker0", "veth.*"));
		HostDetector detector = new HostDetector(() -> address("builder", "172.17.0.1"), () -> addresses, ignoring);
		assertThat(detector.detect(false)).isEqualTo("192.0.2.7");
		assertThat(output).contains("The host name builder resolves to 172.17.0.1, of interface docker0, which "
				+ "discovery.instance.ignored-interfaces ignores on this machine; registering 192.0.2.7 of interface eth0");
		HostDetector elsewhere = new HostDetector(() -> address("app-1", "192.0.2.7"), () -> addresses, ignoring);
		assertThat(elsewhere.detect(false)).isEqualTo("app-1");
	}

	@Test
	void preferredNetworksChooseAmongTheAddressesAndTheHostName() throws Exception {
		List<LocalAddress> addresses = List.of(local("eth0", 2, "192.0.2.7"), local("eth1", 3, "10.20.30.40"),
				local("eth1", 3, "fd00::40"));
		HostDetector detector = new HostDetector(() -> address("app-1", "192.0.2.7"), () -> addresses,
				NetworkPreferences.of(List.of("10.16.0.0/12"), List.of()));
		assertThat(detector.detect(false)).isEqualTo("10.20.30.40");
		HostDetector ipv6 = new HostDetector(() -> address("app-1", "192.0.2.7"), () -> addresses,
				NetworkPreferences.of(List.of("fd00::/8"), List.of()));
		assertThat(ipv6.detect(false)).isEqualTo("fd00:0:0:0:0:0:0:40");
		HostDetector inside = new HostDetector(() -> address("app-1", "10.20.30.40"), () -> addresses,
				NetworkPreferences.of(List.of("10.20.30.40/32"), List.of()));
		assertThat(inside.detect(false)).isEqualTo("app-1");
	}

	@Test
	void preferredNetworksThatNoAddressIsInAreWarnedAboutAndPassedOver(CapturedOutput output) throws Exception {
		List<LocalAddress> addresses = List.of(local("docker0", 2, "172.17.0.1"), local("eth0", 3, "192.0.2.7"));
		HostDetector detector = new HostDetector(() -> address("vm", "127.0.1.1"), () -> addresses,
				NetworkPreferences.of(List.of("10.0.0.0/8"), List.of("docker0")));
		assertThat(detector.detect(false)).isEqualTo("192.0.2.7");
		assertThat(output).contains("WARN")
			.contains("No interface that is up has an address in discovery.instance.preferred-networks [10.0.0.0/8]");
	}

	@Test
	void oneDetectionListsTheInterfacesOnce() throws Exception {
		List<LocalAddress> addresses = List.of(local("docker0", 2, "172.17.0.1"), local("eth0", 3, "192.0.2.7"));
		AtomicInteger listings = new AtomicInteger();
		HostDetector detector = new HostDetector(() -> address("builder", "172.17.0.1"), () -> {
			listings.incrementAndGet();
			return addresses;
		}, NetworkPreferences.of(List.of("10.0.0.0/8"), List.of("docker0")));
		assertThat(detector.detect(false)).isEqualTo("192.0.2.7");
		assertThat(listings).hasValue(1);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = {
			"10.0.0.0 | must be a CIDR block, an IP address and a prefix length such as 10.0.0.0/8 or fd00::/8",
			"intranet.example/8 | must be a CIDR block, an IP address and a prefix length such as 10.0.0.0/8 or fd00::/8",
			"10.0.0.0/x | must be a CIDR block, an IP address and a prefix length such as 10.0.0.0/8 or fd00::/8",
			"10.0.0.0/33 | must have a prefix length of 0 to 32", "fd00::/129 | must have a prefix length of 0 to 128" })
	void malformedPreferredNetworksAreRejectedNamingTheRule(String network, String rule) {
		assertThatIllegalArgumentException().isThrownBy(() -> NetworkPreferences.of(List.of(network), List.of()))
			.withMessage("Invalid preferred network '" + network + "': " + rule);
	}

	@Test
	void malformedIgnoredInterfacesAreRejectedNamingTheRule() {
		assertThatIllegalArgumentException().isThrownBy(() -> NetworkPreferences.of(List.of(), List.of("veth[")))
			.withMessageStartingWith("Invalid ignored interface 'veth[': must be a regular expression of interface names");
	}

	@Test
	void onThisMachineRegistersLoopbackOnlyWithoutAnotherAddress() throws Exception {
		InetAddress detected = InetAddress.getByName(HostDetector.onThisMachine(NetworkPreferences.NONE).detect(true));
		boolean machineHasAnotherAddress = Collections.list(NetworkInterface.getNetworkInterfaces())
			.stream()
			.filter(HostDetectorTests::isUp)
			.flatMap(NetworkInterface::inetAddresses)
			.anyMatch((address) -> !address.isLoopbackAddress() && !address.isLinkLocalAddress());
		assertThat(detected.isLoopbackAddress()).isEqualTo(!machineHasAnotherAddress);
		assertThat(NetworkInterface.getByInetAddress(detected)).isNotNull();
	}

	private static boolean isUp(NetworkInterface network) {
		try {
			return network.isUp();
		}
		catch (SocketException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static InetAddress address(String name, String ip) throws UnknownHostException {
		return InetAddress.getByAddress(name, InetAddress.getByName(ip).getAddress());
	}

	private static LocalAddress local(String interfaceName, int index, String ip) throws UnknownHostException {
		return new LocalAddress(interfaceName, index, InetAddress.getByName(ip));
	}

}
