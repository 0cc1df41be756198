package dev.discovery.samples.greeting;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.discovery.core.InstanceStatus;
import dev.discovery.spring.SelfRegistration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The greeting service with its own {@code application.yml}: reads stay open, and only the
 * operator, with the password from the environment, may change the instance's status.
 */
@ExtendWith(OutputCaptureExtension.class)
class OperatorSecurityTests {

	private static final String DRAIN = "{\"status\":\"OUT_OF_SERVICE\"}";

	@Test
	void readsAreOpenAndOnlyTheOperatorMayDrain(CapturedOutput output) {
		String password = UUID.randomUUID().toString();
		try (ConfigurableApplicationContext service = start("--spring.security.user.password=" + password)) {
			RestClient http = http(service);
			assertThat(status(http.get().uri("/greeting"))).isEqualTo(HttpStatusCode.valueOf(200));
			assertThat(status(http.get().uri("/actuator/discovery"))).isEqualTo(HttpStatusCode.valueOf(200));
			assertThat(status(http.get().uri("/actuator/health"))).isEqualTo(HttpStatusCode.valueOf(200));

			assertThat(status(drain(http, null))).isEqualTo(HttpStatusCode.valueOf(401));
			assertThat(status(drain(http, "operator:wrong-" + password))).isEqualTo(HttpStatusCode.valueOf(401));
			assertThat(status(drain(http, "user:" + password))).isEqualTo(HttpStatusCode.valueOf(401));
			assertThat(registeredStatus(service)).isEqualTo(InstanceStatus.UP);

			assertThat(status(drain(http, "operator:" + password))).isEqualTo(HttpStatusCode.valueOf(200));
			assertThat(registeredStatus(service)).isEqualTo(InstanceStatus.OUT_OF_SERVICE);
		}
		assertThat(output.getAll()).doesNotContain(password);
	}

	@Test
	void withoutAPasswordNobodyMayDrainAndNoneIsGenerated(CapturedOutput output) {
		try (ConfigurableApplicationContext service = start()) {
			RestClient http = http(service);
			assertThat(status(http.get().uri("/actuator/discovery"))).isEqualTo(HttpStatusCode.valueOf(200));
			assertThat(status(drain(http, "operator:"))).isEqualTo(HttpStatusCode.valueOf(401));
			assertThat(status(drain(http, "user:user"))).isEqualTo(HttpStatusCode.valueOf(401));
			assertThat(registeredStatus(service)).isEqualTo(InstanceStatus.UP);
		}
		assertThat(output.getAll()).contains("No operator password (spring.security.user.password) is set")
			.doesNotContain("generated security password");
	}

	private static ConfigurableApplicationContext start(String... arguments) {
		List<String> all = new ArrayList<>(List.of("--server.port=0", "--discovery.instance.host=127.0.0.1"));
		all.addAll(List.of(arguments));
		return new SpringApplicationBuilder(GreetingServiceApplication.class).run(all.toArray(String[]::new));
	}

	private static RestClient.RequestHeadersSpec<?> drain(RestClient http, String credentials) {
		RestClient.RequestBodySpec request = http.post().uri("/actuator/discovery").contentType(MediaType.APPLICATION_JSON);
		if (credentials != null) {
			String[] parts = credentials.split(":", 2);
			request.headers((headers) -> headers.setBasicAuth(parts[0], parts[1]));
		}
		return request.body(DRAIN);
	}

	private static HttpStatusCode status(RestClient.RequestHeadersSpec<?> request) {
		return request.exchange((sent, response) -> response.getStatusCode());
	}

	private static InstanceStatus registeredStatus(ConfigurableApplicationContext service) {
		return service.getBean(SelfRegistration.class).registration().orElseThrow().instance().status();
	}

	private static RestClient http(ConfigurableApplicationContext context) {
		return RestClient.create("http://127.0.0.1:" + ((WebServerApplicationContext) context).getWebServer().getPort());
	}

}
