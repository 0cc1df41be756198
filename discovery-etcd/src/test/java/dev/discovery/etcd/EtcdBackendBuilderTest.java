package dev.discovery.etcd;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@link EtcdBackend.Builder#build()} checks every setting before anything is created, and
 * its messages name the setting, the value and the rule, never a password.
 */
class EtcdBackendBuilderTest {

	@TempDir
	Path directory;

	@ParameterizedTest
	@ValueSource(strings = { "127.0.0.1:2379", "http://127.0.0.1", "grpc://127.0.0.1:2379", "http://[::1", "",
			"http://127.0.0.1:2379/v3" })
	void malformedEndpointIsRejected(String endpoint) {
		assertThatIllegalArgumentException().isThrownBy(() -> EtcdBackend.builder().endpoints(endpoint).build())
			.withMessageStartingWith("Invalid endpoint '" + endpoint + "'")
			.withMessageContaining("like http://127.0.0.1:2379");
	}

	@Test
	void endpointsOfMixedSchemesAreRejected() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> EtcdBackend.builder().endpoints("http://a:2379", "https://b:2379").build())
			.withMessageContaining("Invalid endpoints")
			.withMessageContaining("same scheme");
	}

	@Test
	void noEndpointIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> EtcdBackend.builder().endpoints().build())
			.withMessageContaining("Invalid endpoints");
	}

	@Test
	void nonPositiveOrSubSecondDurationsAreRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> EtcdBackend.builder().ttl(Duration.ZERO).build())
			.withMessage("Invalid ttl 'PT0S': must be a positive duration");
		assertThatIllegalArgumentException().isThrownBy(() -> EtcdBackend.builder().ttl(Duration.ofMillis(500)).build())
			.withMessageContaining("Invalid ttl 'PT0.5S'")
			.withMessageContaining("at least 1 second");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> EtcdBackend.builder().requestTimeout(Duration.ofSeconds(-1)).build())
			.withMessage("Invalid requestTimeout 'PT-1S': must be a positive duration");
	}

	@Test
	void invalidNamespaceIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> EtcdBackend.builder().namespace("/discovery").build())
			.withMessageStartingWith("Invalid namespace '/discovery'");
	}

	@Test
	void passwordWithoutUsernameIsRejectedWithoutShowingIt() {
		assertThatIllegalArgumentException().isThrownBy(() -> EtcdBackend.builder().password("hunter2").build())
			.withMessage("Invalid username null: must be set when password is set")
			.withMessageNotContaining("hunter2");
	}

	@Test
	void certificateWithoutKeyIsRejected() throws IOException {
		Path cert = Files.writeString(this.directory.resolve("client.crt"), "not used");
		assertThatIllegalArgumentException().isThrownBy(() -> EtcdBackend.builder().clientCertFile(cert).build())
			.withMessage("Invalid clientKeyFile null: must be set when clientCertFile is set");
	}

	@Test
	void missingCaFileIsRejected() {
		Path missing = this.directory.resolve("missing-ca.pem");
		assertThatIllegalArgumentException().isThrownBy(() -> EtcdBackend.builder().caFile(missing).build())
			.withMessageStartingWith("Invalid caFile '")
			.withMessageEndingWith(": must be a readable file");
	}

	@Test
	void caFileThatIsNotPemIsRejected() throws IOException {
		Path garbage = Files.writeString(this.directory.resolve("ca.pem"), "garbage");
		assertThatIllegalArgumentException().isThrownBy(() -> EtcdBackend.builder().caFile(garbage).build())
			.withMessageStartingWith("Invalid caFile")
			.withMessageContaining("PEM");
	}

	@Test
	void httpsWithoutCaFileUsesTheJvmTrustStoreAndToStringHidesThePassword() {
		try (EtcdBackend backend = EtcdBackend.builder()
			.endpoints("https://127.0.0.1:2379")
			.username("app")
			.password("hunter2")
			.build()) {
			assertThat(backend.toString()).contains("username=app").contains("https://127.0.0.1:2379")
				.doesNotContain("hunter2");
			assertThat(backend.health().details().toString()).doesNotContain("hunter2");
		}
	}

}
