package dev.discovery.etcd;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.discovery.core.DiscoveryException;
import dev.discovery.core.Registration;
import dev.discovery.core.RegistrationState;
import dev.discovery.core.ServiceInstance;
import dev.discovery.etcd.testserver.EtcdCluster;
import dev.discovery.etcd.testserver.EtcdExtension;
import dev.discovery.etcd.testserver.EtcdMember;
import dev.discovery.etcd.testserver.TestCertificates;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Certificates replaced on disk, as operators rotate them, against an etcd that requires
 * client certificates: the server's certificate is renewed and the server restarted under
 * a running client, and a backend built after its client certificate files were replaced
 * uses the new files.
 */
class EtcdCertificateRotationIT {

	private static final Path DIRECTORY = Path.of("target", "etcd-rotation");

	private static final TestCertificates certificates = TestCertificates.create(DIRECTORY.resolve("ca"));

	@RegisterExtension
	static final EtcdExtension etcd = EtcdExtension.ownServer("https", certificates.mutualTlsArguments());

	@Test
	void runningClientKeepsWorkingAfterTheServerRestartsWithARenewedCertificate() {
		String endpoint = etcd.endpoints().get(0);
		try (EtcdBackend backend = EtcdBackend.builder()
			.endpoints(endpoint)
			.caFile(certificates.caFile())
			.clientCertFile(certificates.clientCertFile())
			.clientKeyFile(certificates.clientKeyFile())
			.ttl(Duration.ofSeconds(10))
			.build()) {
			Registration before = backend.register(ServiceInstance.builder("rotating", "127.0.0.1", 8001).build());
			List<List<ServiceInstance>> seen = new CopyOnWriteArrayList<>();
			backend.watch("rotating", seen::add);
			Awaitility.await()
				.atMost(Duration.ofSeconds(5))
				.until(() -> !seen.isEmpty() && seen.get(seen.size() - 1).equals(List.of(before.instance())));
			X509Certificate original = TestCertificates.servedCertificate(endpoint);

			EtcdCluster cluster = etcd.cluster();
			EtcdMember member = cluster.member();
			member.kill();
			certificates.renewServerCertificate();
			cluster.restart(member);
			cluster.awaitHealthy();

			X509Certificate renewed = TestCertificates.certificate(certificates.serverCertFile());
			assertThat(renewed).isNotEqualTo(original);
			assertThat(TestCertificates.servedCertificate(endpoint)).isEqualTo(renewed);
			Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> backend.health().reachable());
			ServiceInstance after = ServiceInstance.builder("rotating", "127.0.0.1", 8002).build();
			backend.register(after);
			Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
				assertThat(seen.get(seen.size() - 1)).containsExactly(before.instance(), after);
				assertThat(before.state()).isEqualTo(RegistrationState.REGISTERED);
			});
			assertThat(backend.instances("rotating")).containsExactly(before.instance(), after);
		}
	}

	@Test
	void backendBuiltAfterTheClientFilesWereReplacedUsesTheNewFiles() throws Exception {
		etcd.cluster().awaitHealthy();
		TestCertificates foreign = TestCertificates.create(DIRECTORY.resolve("foreign"));
		Path deployed = Files.createDirectories(DIRECTORY.resolve("deployed"));
		Path certFile = deployed.resolve("client.crt");
		Path keyFile = deployed.resolve("client.key");
		ServiceInstance instance = ServiceInstance.builder("replaced", "127.0.0.1", 8003).build();
		foreign.copyClientFilesTo(certFile, keyFile);
		try (EtcdBackend backend = backend(certFile, keyFile)) {
			assertThatExceptionOfType(DiscoveryException.class).isThrownBy(() -> backend.register(instance))
				.withMessageContaining("timed out");
		}

		certificates.copyClientFilesTo(certFile, keyFile);

		try (EtcdBackend backend = backend(certFile, keyFile)) {
			backend.register(instance);
			assertThat(backend.instances("replaced")).containsExactly(instance);
		}
	}

	private static EtcdBackend backend(Path certFile, Path keyFile) {
		return EtcdBackend.builder()
			.endpoints(etcd.endpoints())
			.caFile(certificates.caFile())
			.clientCertFile(certFile)
			.clientKeyFile(keyFile)
			.requestTimeout(Duration.ofSeconds(2))
			.build();
	}

}
