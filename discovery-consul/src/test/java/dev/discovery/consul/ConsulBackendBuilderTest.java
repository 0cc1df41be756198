package dev.discovery.consul;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Every builder setting is checked by {@code build()}, with a message that names it, shows
 * the value and states the rule; the token never shows.
 */
class ConsulBackendBuilderTest {

	@Test
	void schemeMustBeHttpOrHttps() {
		assertThatIllegalArgumentException().isThrownBy(() -> ConsulBackend.builder().scheme("ftp").build())
			.withMessage("Invalid scheme 'ftp': must be http or https");
	}

	@Test
	void hostAndPortAreChecked() {
		assertThatIllegalArgumentException().isThrownBy(() -> ConsulBackend.builder().host("http://consul").build())
			.withMessageContaining("host")
			.withMessageContaining("'http://consul'");
		assertThatIllegalArgumentException().isThrownBy(() -> ConsulBackend.builder().port(0).build())
			.withMessage("Invalid port '0': must be between 1 and 65535");
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
			.isThrownBy(() -> ConsulBackend.builder().checkInterval(Duration.ZERO).build())
			.withMessageContaining("checkInterval");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ConsulBackend.builder().requestTimeout(Duration.ofSeconds(-1)).build())
			.withMessageContaining("requestTimeout");
	}

	@Test
	void checkPathMustBeAPath() {
		assertThatIllegalArgumentException().isThrownBy(() -> ConsulBackend.builder().checkPath("health").build())
			.withMessage("Invalid checkPath 'health': must start with '/'");
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
