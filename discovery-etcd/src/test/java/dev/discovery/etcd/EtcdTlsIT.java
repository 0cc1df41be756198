package dev.discovery.etcd;

import java.nio.file.Path;
import java.time.Duration;

import dev.discovery.core.DiscoveryException;
import dev.discovery.core.ServiceInstance;
import dev.discovery.etcd.testserver.EtcdExtension;
import dev.discovery.etcd.testserver.TestCertificates;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * TLS against etcd serving https with a self-signed CA and requiring client certificates.
 */
class EtcdTlsIT {

	private static final TestCertificates certificates = TestCertificates
		.create(Path.of("target", "etcd-tls", "trusted"));

	private static final TestCertificates untrusted = TestCertificates
		.create(Path.of("target", "etcd-tls", "untrusted"));

	@RegisterExtension
	static final EtcdExtension etcd = EtcdExtension.ownServer("https", certificates.etcdArguments());

	@Test
	void registersAndDiscoversOverTlsWithAClientCertificate() {
		try (EtcdBackend backend = EtcdBackend.builder()
			.endpoints(etcd.endpoints())
			.caFile(certificates.caFile())
			.clientCertFile(certificates.clientCertFile())
			.clientKeyFile(certificates.clientKeyFile())
			.build()) {
			ServiceInstance instance = ServiceInstance.builder("secure", "127.0.0.1", 8443).secure(true).build();

			backend.register(instance);

			assertThat(backend.instances("secure")).containsExactly(instance);
			Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> backend.health().reachable());
		}
	}

	@Test
	void serverSignedByAnotherCaIsRefusedWithAClearException() {
		try (EtcdBackend backend = EtcdBackend.builder()
			.endpoints(etcd.endpoints())
			.caFile(untrusted.caFile())
			.clientCertFile(untrusted.clientCertFile())
			.clientKeyFile(untrusted.clientKeyFile())
			.requestTimeout(Duration.ofSeconds(2))
			.build()) {
			assertThatExceptionOfType(DiscoveryException.class).isThrownBy(() -> backend.instances("secure"))
				.withMessageStartingWith("etcd [" + etcd.endpoints().get(0) + "]: reading service secure");
			assertThat(backend.health().reachable()).isFalse();
		}
	}

}
