package dev.discovery.consul;

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
import org.junit.jupiter.params.provider.ValueSource;

import static dev.discovery.core.contract.SettingAssertions.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Every builder setting is checked by {@code build()}, with a message that names it, shows
 * the value and states the rule; the token never shows.
 */
class ConsulBackendBuilderTest {

	private static final Map<String, BiConsumer<ConsulBackend.Builder, Duration>> DURATION_SETTERS = Map.of("ttl",
			ConsulBackend.Builder::ttl, "checkInterval", ConsulBackend.Builder::checkInterval, "deregisterCriticalAfter",
			ConsulBackend.Builder::deregisterCriticalAfter, "requestTimeout", ConsulBackend.Builder::requestTimeout,
			"watchWait", ConsulBackend.Builder::watchWait);

	@ParameterizedTest
	@ValueSource(strings = { "ftp", "HTTP", "", "grpc" })
	void schemeMustBeHttpOrHttps(String scheme) {
		assertThatIllegalArgumentException().isThrownBy(() -> ConsulBackend.builder().scheme(scheme).build())
			.withMessage("Invalid scheme '" + scheme + "': must be http or https");
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			''                    | ''
			http://consul         | ' (remove the scheme)'
			https://consul:8501/  | ' (remove the scheme)'
			consul:8500           | ' (a host with '':'' must be an IPv6 address)'
			consul/v1             | ''
			""")
	void hostMustBeABareHost(String host, String hint) {
		assertThatIllegalArgumentException().isThrownBy(() -> ConsulBackend.builder().host(host).build())
			.withMessage("Invalid host '" + host + "': must be a host name or IP address of 1-253 characters, "
					+ "without scheme, port or path" + hint);
	}

	@ParameterizedTest
	@ValueSource(ints = { 0, -1, 65536 })
	void portMustBeInRange(int port) {
		assertThatIllegalArgumentException().isThrownBy(() -> ConsulBackend.builder().port(port).build())
			.withMessage("Invalid port '" + port + "': must be between 1 and 65535");
	}

	static Stream<Arguments> zeroOrNegativeDurations() {
		return DURATION_SETTERS.keySet()
			.stream()
			.sorted()
			.flatMap((setting) -> Stream.of(arguments(setting, Duration.ZERO, "PT0S"),
					arguments(setting, Duration.ofSeconds(-1), "PT-1S")));
	}

	@ParameterizedTest
	@MethodSource("zeroOrNegativeDurations")
	void zeroOrNegativeDurationsAreRejected(String setting, Duration duration, String shown) {
		assertRejected(ConsulBackend.builder(), setting, DURATION_SETTERS.get(setting), duration,
				ConsulBackend.Builder::build, "Invalid " + setting + " '" + shown + "': must be a positive duration");
	}

	@Test
	void durationsHaveConsulsLimits() {
		assertThatIllegalArgumentException().isThrownBy(() -> ConsulBackend.builder().ttl(Duration.ofMillis(500)).build())
			.withMessage("Invalid ttl 'PT0.5S': must be at least PT1S");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ConsulBackend.builder().deregisterCriticalAfter(Duration.ofSeconds(30)).build())
			.withMessage("Invalid deregisterCriticalAfter 'PT30S': must be at least PT1M");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ConsulBackend.builder().watchWait(Duration.ofMinutes(6)).build())
			.withMessage("Invalid watchWait 'PT6M': must be at most PT5M");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ConsulBackend.builder().checkInterval(Duration.ofMillis(999)).build())
			.withMessage("Invalid checkInterval 'PT0.999S': must be at least PT1S");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ConsulBackend.builder().requestTimeout(Duration.ofMinutes(11)).build())
			.withMessage("Invalid requestTimeout 'PT11M': must be at most PT10M");
	}

	@ParameterizedTest
	@ValueSource(ints = { -1, 0, 2, 10_001 })
	void maxConnectionsMustLeaveOneOfEachKind(int connections) {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ConsulBackend.builder().maxConnections(connections).build())
			.withMessage("Invalid maxConnections '" + connections + "': must be between 3 and 10000");
	}

	@Test
	void checkPathMustBeAPath() {
		assertThatIllegalArgumentException().isThrownBy(() -> ConsulBackend.builder().checkPath("health").build())
			.withMessage("Invalid checkPath 'health': must start with '/'");
	}

	@ParameterizedTest
	@ValueSource(ints = { -1, 0, 65_536 })
	void checkPortMustBeAPort(int port) {
		assertThatIllegalArgumentException().isThrownBy(() -> ConsulBackend.builder().checkPort(port).build())
			.withMessage("Invalid checkPort '" + port + "': must be between 1 and 65535");
	}

	@ParameterizedTest
	@ValueSource(ints = { -1, 0 })
	void checkThresholdsAreAtLeastOne(int threshold) {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ConsulBackend.builder().checkFailuresBeforeCritical(threshold).build())
			.withMessage("Invalid checkFailuresBeforeCritical '" + threshold + "': must be at least 1");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ConsulBackend.builder().checkSuccessesBeforePassing(threshold).build())
			.withMessage("Invalid checkSuccessesBeforePassing '" + threshold + "': must be at least 1");
	}

	@Test
	void caFileNeedsHttpsAndCertificates(@TempDir Path directory) throws Exception {
		Path empty = Files.writeString(directory.resolve("ca.pem"), "");
		assertThatIllegalArgumentException().isThrownBy(() -> ConsulBackend.builder().caFile(empty).build())
			.withMessageContaining("caFile")
			.withMessageContaining("needs scheme https");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ConsulBackend.builder().scheme("https").caFile(empty).build())
			.withMessageContaining("caFile")
			.withMessageContaining("PEM");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ConsulBackend.builder().scheme("https").caFile(directory.resolve("missing.pem")).build())
			.withMessageContaining("caFile");
	}

	@Test
	void tokenIsCheckedWithoutBeingShown() {
		String token = "secret token\n";
		assertThatIllegalArgumentException().isThrownBy(() -> ConsulBackend.builder().token(token).build())
			.withMessageContaining("token")
			.withMessageNotContaining("secret");
	}

	@Test
	void toStringNamesTheAgentButNotTheToken() {
		try (ConsulBackend backend = ConsulBackend.builder().port(1).token("s3cr3t-token").build()) {
			assertThat(backend.toString()).contains("http://127.0.0.1:1").doesNotContain("s3cr3t");
			assertThat(backend.health().toString()).doesNotContain("s3cr3t");
		}
	}

}
