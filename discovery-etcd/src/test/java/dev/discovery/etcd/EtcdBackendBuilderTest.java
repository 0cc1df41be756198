package dev.discovery.etcd;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import static dev.discovery.core.contract.SettingAssertions.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * {@link EtcdBackend.Builder#build()} checks every setting before anything is created, and
 * its messages name the setting, the value and the rule, never a password.
 */
class EtcdBackendBuilderTest {

	private static final String ENDPOINT_RULE = "must be a URL with scheme http or https, a host and a port, like "
			+ "http://127.0.0.1:2379";

	private static final Map<String, BiConsumer<EtcdBackend.Builder, Duration>> DURATION_SETTERS = Map
		.of("ttl", EtcdBackend.Builder::ttl, "requestTimeout", EtcdBackend.Builder::requestTimeout);

	@TempDir
	Path directory;

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			127.0.0.1:2379            | ''
			localhost:2379            | ''
			''                        | ''
			http://[::1               | ''
			http:/127.0.0.1:2379      | ''
			unix:///run/etcd.sock     | ''
			http://127.0.0.1          | 'has no port: '
			grpc://127.0.0.1:2379     | 'has the unknown scheme ''grpc'': '
			http://127.0.0.1:0        | 'has a port outside 1-65535: '
			http://127.0.0.1:99999    | 'has a port outside 1-65535: '
			http://127.0.0.1:2379/v3  | 'must not have a path, query or fragment: '
			http://127.0.0.1:2379?x=1 | 'must not have a path, query or fragment: '
			""")
	void malformedEndpointIsRejectedNamingTheRule(String endpoint, String problem) {
		assertThatIllegalArgumentException().isThrownBy(() -> EtcdBackend.builder().endpoints(endpoint).build())
			.withMessage("Invalid endpoint '" + endpoint + "': " + problem + ENDPOINT_RULE);
	}

	@Test
	void endpointWithCredentialsIsRejectedWithoutShowingThem() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> EtcdBackend.builder().endpoints("http://app:hunter2@127.0.0.1:2379").build())
			.withMessage("Invalid endpoint 'http://******@127.0.0.1:2379': must not have user info (set username and "
					+ "password instead): " + ENDPOINT_RULE);
	}

	@Test
	void nullEndpointIsRejected() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> EtcdBackend.builder().endpoints("http://127.0.0.1:2379", null).build())
			.withMessage("Invalid endpoint null: " + ENDPOINT_RULE);
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

	static Stream<Arguments> badDurations() {
		return Stream.of(
				arguments("ttl", Duration.ZERO, "Invalid ttl 'PT0S': must be a positive duration"),
				arguments("ttl", Duration.ofSeconds(-1), "Invalid ttl 'PT-1S': must be a positive duration"),
				arguments("ttl", null, "Invalid ttl null: must be a positive duration"),
				arguments("ttl", Duration.ofMillis(500),
						"Invalid ttl 'PT0.5S': must be at least 1 second (etcd leases count seconds)"),
				arguments("requestTimeout", Duration.ZERO, "Invalid requestTimeout 'PT0S': must be a positive duration"),
				arguments("requestTimeout", Duration.ofSeconds(-1),
						"Invalid requestTimeout 'PT-1S': must be a positive duration"));
	}

	@ParameterizedTest
	@MethodSource("badDurations")
	void zeroNegativeOrSubSecondDurationsAreRejected(String setting, Duration duration, String message) {
		assertRejected(EtcdBackend.builder(), setting, DURATION_SETTERS.get(setting), duration, EtcdBackend.Builder::build,
				message);
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
