package dev.discovery.spring.web;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.util.Collections;

import dev.discovery.core.ServiceInstance;
import dev.discovery.spring.SelfRegistration;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.http.HttpStatus;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An application that does not set {@code discovery.instance.host} registers a host that
 * other machines can reach: not a loopback address while the machine has another one, and
 * one its own web server answers on.
 */
@SpringBootTest(classes = GreetingApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.application.name=detected-host", "discovery.backend=inmemory",
				"discovery.instance.prefer-ip-address=true" })
class DetectedHostWebTests {

	@Autowired
	private SelfRegistration selfRegistration;

	@Test
	void registersAnAddressOthersCanReachAndTheApplicationAnswersOn() throws Exception {
		ServiceInstance registered = this.selfRegistration.registration().orElseThrow().instance();
		InetAddress host = InetAddress.getByName(registered.host());

		assertThat(host.isLoopbackAddress()).as("registered %s", registered.host()).isEqualTo(!hasAnotherAddress());
		URI health = URI.create(registered.uri() + "/actuator/health");
		assertThat(RestClient.create().get().uri(health).retrieve().toBodilessEntity().getStatusCode())
			.isEqualTo(HttpStatus.OK);
	}

	private static boolean hasAnotherAddress() throws SocketException {
		for (NetworkInterface network : Collections.list(NetworkInterface.getNetworkInterfaces())) {
			if (network.isUp() && network.inetAddresses()
				.anyMatch((address) -> !address.isLoopbackAddress() && !address.isLinkLocalAddress())) {
				return true;
			}
		}
		return false;
	}

}
