package dev.discovery.spring.registry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.discovery.core.DiscoveryException;
import dev.discovery.core.ServiceInstance;
import dev.discovery.etcd.EtcdBackend;
import dev.discovery.etcd.testserver.EtcdAuthentication;
import dev.discovery.etcd.testserver.EtcdExtension;
import dev.discovery.etcd.testserver.TestCertificates;
import dev.discovery.spring.autoconfigure.EtcdConnectionDetails;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The two-application flow on a real etcd that serves TLS, requires client certificates,
 * and has authentication enabled with a user whose role may use the {@code discovery}
 * namespace only.
 */
class EtcdApplicationsIT extends TwoApplicationsFlow {

	private static final String PASSWORD = "etcd-pa55-91c4";

	private static final String WRONG_PASSWORD = "etcd-wr0ng-3d7e";

	private static final TestCertificates certificates = TestCertificates
		.create(Path.of("target", "etcd-applications"));

	@RegisterExtension
	static final EtcdExtension etcd = EtcdExtension.ownServer("https", certificates.mutualTlsArguments());

	@BeforeAll
	static void enableAuthentication() throws Exception {
		EtcdAuthentication.enable(certificates.client(etcd.endpoints()), "app", PASSWORD, "/discovery/");
	}

	@Override
	protected String backend() {
		return "etcd";
	}

	@Override
	protected List<String> connectionProperties() {
		return connection(PASSWORD);
	}

	@Override
	protected List<String> refusedConnectionProperties() {
		return connection(WRONG_PASSWORD);
	}

	@Override
	protected List<String> credentialProperties() {
		return List.of("discovery.etcd.username", "discovery.etcd.password");
	}

	@Override
	protected List<String> secrets() {
		List<String> secrets = new ArrayList<>(List.of(PASSWORD, WRONG_PASSWORD));
		try {
			Files.readAllLines(certificates.clientKeyFile())
				.stream()
				.filter((line) -> !line.startsWith("-----"))
				.forEach(secrets::add);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		return secrets;
	}

	@Override
	protected DiscoveryException refuseOperation(ConfigurableApplicationContext service) {
		EtcdConnectionDetails connection = service.getBean(EtcdConnectionDetails.class);
		try (EtcdBackend otherNamespace = EtcdBackend.builder()
			.endpoints(connection.getEndpoints())
			.namespace("other-team")
			.username(connection.getUsername())
			.password(connection.getPassword())
			.caFile(connection.getCaFile())
			.clientCertFile(connection.getClientCertFile())
			.clientKeyFile(connection.getClientKeyFile())
			.build()) {
			DiscoveryException refusal = catchThrowableOfType(DiscoveryException.class,
					() -> otherNamespace.register(ServiceInstance.builder("intruder", "127.0.0.1", 9).build()));
			assertThat(refusal).hasMessageContaining("permission denied: user 'app' may not use the namespace 'other-team'");
			return refusal;
		}
	}

	private static List<String> connection(String password) {
		return List.of("discovery.etcd.endpoints=" + String.join(",", etcd.endpoints()), "discovery.etcd.username=app",
				"discovery.etcd.password=" + password, "discovery.etcd.ca-file=" + certificates.caFile(),
				"discovery.etcd.client-cert-file=" + certificates.clientCertFile(),
				"discovery.etcd.client-key-file=" + certificates.clientKeyFile());
	}

}
