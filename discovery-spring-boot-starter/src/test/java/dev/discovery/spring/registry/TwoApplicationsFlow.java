package dev.discovery.spring.registry;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.discovery.core.DiscoveryBackend;
import dev.discovery.core.DiscoveryClient;
import dev.discovery.core.DiscoveryException;
import dev.discovery.core.ServiceInstance;
import dev.discovery.spring.autoconfigure.DiscoveryProperties;
import dev.discovery.spring.web.CallerApplication;
import dev.discovery.spring.web.GreetingApplication;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.service.connection.ConnectionDetails;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Two applications on a real registry with credentials, as users run them: a greeting
 * service and a caller, each with the starter. They find each other, the caller reaches the
 * service through the {@code @LoadBalanced} {@code RestClient} and {@code WebClient} and
 * through HTTP service client groups of both client types, and the registry refuses
 * what the credential does not allow, and an application with a credential it refuses does
 * not start. No secret (a registry credential, right or wrong, key material, or secret
 * metadata) appears in anything captured: the log output, the exceptions with their stack
 * traces, the actuator's responses (with values shown), or the {@code toString()} of the
 * properties, connection details and backends.
 */
@ExtendWith(OutputCaptureExtension.class)
abstract class TwoApplicationsFlow {

	private static final String SECRET_METADATA = "metadata-secret-7f3a";

	/**
	 * Returns the value of {@code discovery.backend}.
	 * @return the backend name
	 */
	protected abstract String backend();

	/**
	 * Returns the properties that connect to the registry with the applications' credentials.
	 * @return {@code name=value} pairs
	 */
	protected abstract List<String> connectionProperties();

	/**
	 * Returns the properties that connect to the registry with a credential it refuses.
	 * @return {@code name=value} pairs
	 */
	protected abstract List<String> refusedConnectionProperties();

	/**
	 * Returns the properties that the report of a startup with a refused credential names.
	 * @return the property names
	 */
	protected abstract List<String> credentialProperties();

	/**
	 * Returns what must never be shown: every credential the test uses, right or wrong, and
	 * the contents of private keys.
	 * @return the secrets
	 */
	protected abstract List<String> secrets();

	/**
	 * Makes the registry refuse something that the running service's credential does not
	 * allow, and checks that the refusal says what to fix.
	 * @param service the running greeting service
	 * @return the refusal
	 */
	protected abstract DiscoveryException refuseOperation(ConfigurableApplicationContext service);

	@Test
	void applicationsFindEachOtherAndNoSecretIsShown(CapturedOutput output) {
		String greeting = "greeting-" + backend();
		String caller = "caller-" + backend();
		Map<String, String> captured = new LinkedHashMap<>();
		try (ConfigurableApplicationContext service = start(GreetingApplication.class, greeting, connectionProperties());
				ConfigurableApplicationContext client = start(CallerApplication.class, caller, connectionProperties())) {
			int servicePort = port(service);
			DiscoveryClient callerView = client.getBean(DiscoveryClient.class);
			DiscoveryClient serviceView = service.getBean(DiscoveryClient.class);

			Awaitility.await()
				.atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(callerView.getInstances(greeting)).extracting(ServiceInstance::port)
					.containsExactly(servicePort));
			Awaitility.await()
				.atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(serviceView.getInstances(caller)).extracting(ServiceInstance::port)
					.containsExactly(port(client)));

			String expected = "hello from " + greeting + " on " + servicePort;
			for (String path : List.of("/call/" + greeting, "/call-reactive/" + greeting, "/call-group",
					"/call-reactive-group")) {
				assertThat(http(client).get().uri(path).retrieve().body(String.class)).as(path).isEqualTo(expected);
			}

			captured.put("the refusal's stack trace", stackTrace(refuseOperation(service)));
			for (ConfigurableApplicationContext context : List.of(service, client)) {
				captured.putAll(actuatorResponses(context, greeting));
				captured.putAll(descriptions(context));
			}
			String env = actuator(service, "env");
			assertThat(env).as("env shows values").contains("\"value\":\"" + greeting + "\"");
			assertThat(actuator(service, "discovery")).contains("\"db-password\":\"******\"");

			service.close();

			Awaitility.await()
				.atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(callerView.getAllInstances(greeting)).isEmpty());
		}
		assertThat(output.getAll()).contains("Registered " + greeting);
		captured.put("the log output", output.getAll());
		assertNoSecretIn(captured);
	}

	@Test
	void refusedCredentialFailsStartupNamingThePropertiesWithoutShowingIt(CapturedOutput output) {
		Throwable failure = catchThrowable(
				() -> start(GreetingApplication.class, "refused-" + backend(), refusedConnectionProperties()));

		assertThat(failure).isNotNull();
		assertThat(output.getAll()).contains("APPLICATION FAILED TO START",
				"Service discovery could not complete a request to the registry: ")
			.contains(credentialProperties());
		assertNoSecretIn(Map.of("the startup failure's stack trace", stackTrace(failure), "the log output",
				output.getAll()));
	}

	private void assertNoSecretIn(Map<String, String> captured) {
		List<String> secrets = new ArrayList<>(secrets());
		secrets.add(SECRET_METADATA);
		List<String> leaks = new ArrayList<>();
		captured.forEach((source, text) -> secrets.stream()
			.filter(text::contains)
			.forEach((secret) -> leaks.add(source + " shows the secret " + secret)));
		assertThat(leaks).isEmpty();
	}

	private ConfigurableApplicationContext start(Class<?> application, String name, List<String> connection) {
		List<String> properties = new ArrayList<>(List.of("spring.application.name=" + name, "server.port=0",
				"discovery.backend=" + backend(), "discovery.registration.ttl=5s", "discovery.instance.host=127.0.0.1",
				"discovery.instance.metadata.db-password=" + SECRET_METADATA, "logging.level.dev.discovery=DEBUG",
				"management.endpoints.web.exposure.include=health,discovery,env,configprops",
				"management.endpoint.health.show-details=always", "management.endpoint.env.show-values=always",
				"management.endpoint.configprops.show-values=always",
				"spring.http.serviceclient.greeting.base-url=lb://greeting-" + backend(),
				"spring.http.serviceclient.reactive-greeting.base-url=lb://greeting-" + backend()));
		properties.addAll(connection);
		return new SpringApplicationBuilder(application).properties(properties.toArray(String[]::new)).run();
	}

	private static Map<String, String> actuatorResponses(ConfigurableApplicationContext context, String greeting) {
		Map<String, String> responses = new LinkedHashMap<>();
		for (String endpoint : List.of("health", "discovery", "discovery/" + greeting, "env", "configprops")) {
			responses.put("GET /actuator/" + endpoint + " of " + name(context), actuator(context, endpoint));
		}
		return responses;
	}

	private static Map<String, String> descriptions(ConfigurableApplicationContext context) {
		Map<String, String> descriptions = new LinkedHashMap<>();
		describe(descriptions, context, DiscoveryProperties.class);
		describe(descriptions, context, DiscoveryBackend.class);
		describe(descriptions, context, ConnectionDetails.class);
		return descriptions;
	}

	private static void describe(Map<String, String> descriptions, ConfigurableApplicationContext context,
			Class<?> type) {
		Map<String, ?> beans = context.getBeansOfType(type);
		assertThat(beans).as("beans of %s", type).isNotEmpty();
		beans.forEach((bean, instance) -> descriptions.put("toString() of " + bean + " in " + name(context),
				instance.toString()));
	}

	private static String name(ConfigurableApplicationContext context) {
		return context.getEnvironment().getProperty("spring.application.name", "?");
	}

	private static String actuator(ConfigurableApplicationContext context, String endpoint) {
		return http(context).get().uri("/actuator/" + endpoint).retrieve().body(String.class);
	}

	private static String stackTrace(Throwable failure) {
		StringWriter trace = new StringWriter();
		failure.printStackTrace(new PrintWriter(trace));
		return trace.toString();
	}

	private static int port(ConfigurableApplicationContext context) {
		return ((WebServerApplicationContext) context).getWebServer().getPort();
	}

	private static RestClient http(ConfigurableApplicationContext context) {
		return RestClient.create("http://127.0.0.1:" + port(context));
	}

}
