package dev.discovery.spring.autoconfigure;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Collections;
import java.util.List;

import dev.discovery.spring.autoconfigure.HostDetector.LocalAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

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
		HostDetector detector = new HostDetector(() -> address("app-1.example.internal", "10.1.2.3"), NOT_CONSULTED);
		assertThat(detector.detect(false)).isEqualTo("app-1.example.internal");
		assertThat(detector.detect(true)).isEqualTo("10.1.2.3");
	}

	@Test
	void registersAnInterfaceAddressWhenTheHostNameResolvesToLoopback(CapturedOutput output) throws Exception {
		List<LocalAddress> addresses = List.of(local("docker0", 5, "172.17.0.1"), local("eth0", 2, "169.254.10.1"),
				local("eth0", 2, "fe80::1"), local("eth1", 3, "192.0.2.7"), local("eth0", 2, "2001:db8::7"),
				local("lo", 1, "127.0.0.1"), local("eth0", 2, "224.0.0.1"));
		HostDetector detector = new HostDetector(() -> address("debian-vm", "127.0.1.1"), () -> addresses);
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
		}, () -> addresses);
		assertThat(detector.detect(false)).isEqualTo("10.0.0.9");
	}

	@Test
	void registersAnIpv6AddressWithoutItsScopeWhenThereIsNoIpv4One() throws Exception {
		InetAddress scoped = Inet6Address.getByAddress(null, InetAddress.getByName("fd00::2").getAddress(), 4);
		assertThat(scoped.getHostAddress()).endsWith("%4");
		List<LocalAddress> addresses = List.of(local("eth0", 4, "fe80::fc:ff:fe00:1"), new LocalAddress("eth0", 4, scoped));
		HostDetector detector = new HostDetector(() -> address("vm", "127.0.0.1"), () -> addresses);
		String host = detector.detect(false);
		assertThat(host).isEqualTo("fd00:0:0:0:0:0:0:2");
		assertThat(InetAddress.getByName(host)).isEqualTo(InetAddress.getByName("fd00::2"));
	}

	@Test
	void registersLoopbackWithAWarningOnlyWhenNoInterfaceIsReachable(CapturedOutput output) throws Exception {
		List<LocalAddress> addresses = List.of(local("eth0", 2, "fe80::1"), local("eth0", 2, "169.254.0.3"));
		HostDetector detector = new HostDetector(() -> address("vm", "127.0.0.1"), () -> addresses);
		assertThat(detector.detect(false)).isEqualTo("127.0.0.1");
		assertThat(output).contains("WARN").contains("registering 127.0.0.1. Set discovery.instance.host");
	}

	@Test
	void registersLoopbackWithAWarningWhenTheInterfacesCannotBeListed(CapturedOutput output) throws Exception {
		HostDetector detector = new HostDetector(() -> address("vm", "127.0.0.1"), () -> {
			throw new SocketException("no netlink");
		});
		assertThat(detector.detect(true)).isEqualTo("127.0.0.1");
		assertThat(output).contains("its interfaces could not be listed (no netlink)");
	}

	@Test
	void onThisMachineRegistersLoopbackOnlyWithoutAnotherAddress() throws Exception {
		InetAddress detected = InetAddress.getByName(HostDetector.onThisMachine().detect(true));
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
