package dev.discovery.consul;

import java.time.Duration;
import java.util.List;

import dev.discovery.consul.testserver.ConsulAgentExtension;
import dev.discovery.core.DiscoveryException;
import dev.discovery.core.ServiceInstance;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * https to an agent whose certificate is signed by a private CA: trusted through the PEM
 * CA file, refused without it.
 */
class ConsulTlsIT {

	@RegisterExtension
	static final ConsulAgentExtension consul = ConsulAgentExtension.withTls();

	@Test
	void httpsWithTheCaFileRegistersAndDiscovers() {
		try (ConsulBackend backend = https().caFile(consul.caFile()).build()) {
			ServiceInstance instance = ServiceInstance.builder("tls-orders", "127.0.0.1", 7901).build();
			backend.register(instance);

			Awaitility.await()
				.atMost(Duration.ofSeconds(5))
				.until(() -> backend.instances("tls-orders").equals(List.of(instance)));
			assertThat(backend.health().details()).containsEntry("agent", "https://127.0.0.1:" + consul.httpsPort());
		}
	}

	@Test
	void httpsWithoutTheCaFileIsRefused() {
		try (ConsulBackend backend = https().build()) {
			assertThatExceptionOfType(DiscoveryException.class).isThrownBy(() -> backend.instances("tls-orders"))
				.withMessageContaining("https://127.0.0.1:" + consul.httpsPort())
				.withMessageContaining("SSL");
		}
	}

	private static ConsulBackend.Builder https() {
		return ConsulBackend.builder().scheme("https").host("127.0.0.1").port(consul.httpsPort());
	}

}
