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
 * TLS against two etcd servers whose certificates a private CA signed: one that only serves
 * TLS, and one that also requires client certificates. A client that cannot verify the
 * server, or that has no certificate for a server that requires one, is refused with a
 * message that names the setting to fix.
 */
class EtcdTlsIT {

	private static final TestCertificates certificates = TestCertificates
		.create(Path.of("target", "etcd-tls", "trusted"));

	private static final TestCertificates untrusted = TestCertificates
		.create(Path.of("target", "etcd-tls", "untrusted"));

	@RegisterExtension
	static final EtcdExtension tls = EtcdExtension.ownServer("https", certificates.tlsArguments());

	@RegisterExtension
	static final EtcdExtension mutualTls = EtcdExtension.ownServer("https", certificates.mutualTlsArguments());

	@Test
	void registersAndDiscoversOverTlsWithTheCaFile() {
		try (EtcdBackend backend = EtcdBackend.builder().endpoints(tls.endpoints()).caFile(certificates.caFile()).build()) {
			ServiceInstance instance = ServiceInstance.builder("secure", "127.0.0.1", 8443).secure(true).build();

			backend.register(instance);

			assertThat(backend.instances("secure")).containsExactly(instance);
		}
	}

	@Test
	void registersAndDiscoversOverTlsWithAClientCertificate() {
		try (EtcdBackend backend = EtcdBackend.builder()
			.endpoints(mutualTls.endpoints())
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
	void serverSignedByAnotherCaIsRefusedNamingTheCaFileSetting() {
		try (EtcdBackend backend = impatient(tls).caFile(untrusted.caFile()).build()) {
			assertRefused(backend, "the server's certificate is not trusted by the CAs in caFile " + untrusted.caFile()
					+ ": PKIX path validation failed",
					"Set caFile (discovery.etcd.ca-file) to the PEM file of the CA that signed it");
		}
	}

	@Test
	void serverThatTheJvmDoesNotTrustIsRefusedNamingTheCaFileSetting() {
		try (EtcdBackend backend = impatient(tls).build()) {
			assertRefused(backend, "the server's certificate is not trusted by the JVM's trust store (no caFile is set)",
					"Set caFile (discovery.etcd.ca-file) to the PEM file of the CA that signed it");
		}
	}

	@Test
	void clientWithoutACertificateIsRefusedByAServerThatRequiresOne() {
		try (EtcdBackend backend = impatient(mutualTls).caFile(certificates.caFile()).build()) {
			assertRefused(backend, "the server requires a client certificate and none is configured",
					"set clientCertFile and clientKeyFile (discovery.etcd.client-cert-file and"
							+ " discovery.etcd.client-key-file)");
		}
	}

	private static EtcdBackend.Builder impatient(EtcdExtension server) {
		return EtcdBackend.builder().endpoints(server.endpoints()).requestTimeout(Duration.ofSeconds(2));
	}

	private static void assertRefused(EtcdBackend backend, String problem, String fix) {
		ServiceInstance instance = ServiceInstance.builder("refused", "127.0.0.1", 8443).build();
		assertThatExceptionOfType(DiscoveryException.class).isThrownBy(() -> backend.register(instance))
			.withMessageStartingWith("etcd " + backend.health().details().get("endpoints") + ": ")
			.withMessageContaining("timed out after PT2S; the last TLS handshake failed: " + problem)
			.withMessageContaining(fix);
		Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
			assertThat(backend.health().reachable()).isFalse();
			assertThat(backend.health().error()).contains(problem, fix);
		});
	}

}
