package dev.discovery.spring.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * A misconfigured registry or instance fails the start of a real application with Spring
 * Boot's failure report, whose description names the property, its value and the rule,
 * instead of a stack trace from inside a client library. Errors found when the properties
 * are bound are reported by Spring Boot's own analyzer; those found by a backend's builder
 * by {@link DiscoveryFailureAnalyzer}, which also says which property to change.
 */
@ExtendWith(OutputCaptureExtension.class)
class MisconfigurationReportTests {

	private static final String ENDPOINT_RULE = "must be a URL with scheme http or https, a host and a port, like "
			+ "http://127.0.0.1:2379";

	private static final String HOST_RULE = "must be a host name or IP address of 1-253 characters, without scheme, "
			+ "port or path";

	static Stream<Arguments> registrySettingsCheckedByTheBackend() {
		return Stream.of(
				arguments("etcd", "discovery.etcd.endpoints=127.0.0.1:2379", "discovery.etcd.endpoints",
						"Invalid endpoint '127.0.0.1:2379': " + ENDPOINT_RULE),
				arguments("etcd", "discovery.etcd.endpoints=http://127.0.0.1", "discovery.etcd.endpoints",
						"Invalid endpoint 'http://127.0.0.1': has no port: " + ENDPOINT_RULE),
				arguments("etcd", "discovery.etcd.endpoints=grpc://127.0.0.1:2379", "discovery.etcd.endpoints",
						"Invalid endpoint 'grpc://127.0.0.1:2379': has the unknown scheme 'grpc': " + ENDPOINT_RULE),
				arguments("etcd", "discovery.etcd.endpoints=http://127.0.0.1:2379,http://127.0.0.1:99999",
						"discovery.etcd.endpoints",
						"Invalid endpoint 'http://127.0.0.1:99999': has a port outside 1-65535: " + ENDPOINT_RULE),
				arguments("etcd", "discovery.etcd.endpoints=", "discovery.etcd.endpoints",
						"Invalid endpoints '[]': must name at least one URL like http://127.0.0.1:2379"),
				arguments("etcd", "discovery.etcd.namespace=/discovery", "discovery.etcd.namespace",
						"Invalid namespace '/discovery': must be 1-128 characters: segments of [A-Za-z0-9._-] "
								+ "separated by '/', without a leading or trailing '/'"),
				arguments("etcd", "discovery.registration.ttl=500ms", "discovery.registration.ttl",
						"Invalid ttl 'PT0.5S': must be at least 1 second (etcd leases count seconds)"),
				arguments("consul", "discovery.consul.host=http://consul", "discovery.consul.host",
						"Invalid host 'http://consul': " + HOST_RULE + " (remove the scheme)"),
				arguments("consul", "discovery.consul.host=consul:8500", "discovery.consul.host",
						"Invalid host 'consul:8500': " + HOST_RULE + " (a host with ':' must be an IPv6 address)"),
				arguments("consul", "discovery.consul.host=", "discovery.consul.host", "Invalid host '': " + HOST_RULE),
				arguments("consul", "discovery.consul.scheme=ftp", "discovery.consul.scheme",
						"Invalid scheme 'ftp': must be http or https"),
				arguments("consul", "discovery.consul.check.path=health", "discovery.consul.check.path",
						"Invalid checkPath 'health': must start with '/'"),
				arguments("consul", "discovery.consul.check.interval=500ms", "discovery.consul.check.interval",
						"Invalid checkInterval 'PT0.5S': must be at least PT1S"),
				arguments("consul", "discovery.consul.check.deregister-critical-after=30s",
						"discovery.consul.check.deregister-critical-after",
						"Invalid deregisterCriticalAfter 'PT30S': must be at least PT1M"),
				arguments("consul", "discovery.consul.check.failures-before-critical=0",
						"discovery.consul.check.failures-before-critical",
						"Invalid checkFailuresBeforeCritical '0': must be at least 1"),
				arguments("consul", "discovery.consul.check.successes-before-passing=-1",
						"discovery.consul.check.successes-before-passing",
						"Invalid checkSuccessesBeforePassing '-1': must be at least 1"),
				arguments("consul", "discovery.consul.max-connections=2", "discovery.consul.max-connections",
						"Invalid maxConnections '2': must be between 3 and 10000"),
				arguments("consul", "discovery.registration.ttl=999ms", "discovery.registration.ttl",
						"Invalid ttl 'PT0.999S': must be at least PT1S"));
	}

	@ParameterizedTest(name = "{1}")
	@MethodSource("registrySettingsCheckedByTheBackend")
	void registrySettingRejectedByTheBackendIsReportedWithThePropertyToChange(String backend, String setting,
			String property, String problem, CapturedOutput output) {
		assertThat(startupReport(output, "--discovery.backend=" + backend, "--" + setting)).contains(
				"Service discovery is misconfigured. " + property + ": " + problem,
				"Change " + property + " to a value that follows the rule above.");
	}

	static Stream<Arguments> settingsCheckedWhenBound() {
		return Stream.of(
				arguments("discovery.registration.ttl=0s",
						"discovery.registration.ttl: Invalid ttl 'PT0S': must be a positive duration"),
				arguments("discovery.registration.ttl=-5s",
						"discovery.registration.ttl: Invalid ttl 'PT-5S': must be a positive duration"),
				arguments("discovery.etcd.request-timeout=0s",
						"discovery.etcd.request-timeout: Invalid request timeout 'PT0S': must be a positive duration"),
				arguments("discovery.consul.port=0", "discovery.consul.port: Invalid port '0': must be between 1 and 65535"),
				arguments("discovery.consul.port=70000",
						"discovery.consul.port: Invalid port '70000': must be between 1 and 65535"),
				arguments("discovery.consul.check.interval=-10s",
						"discovery.consul.check.interval: Invalid check interval 'PT-10S': must be a positive duration"),
				arguments("discovery.consul.check.deregister-critical-after=0s",
						"discovery.consul.check.deregister-critical-after: Invalid deregister-critical-after 'PT0S': "
								+ "must be a positive duration"),
				arguments("discovery.instance.service=rocket-\uD83D\uDE80",
						"discovery.instance.service: Invalid service name 'rocket-\\uD83D\\uDE80': must be 1-63 "
								+ "characters of [A-Za-z0-9._-], start with a letter or digit, and not contain '..'"),
				arguments("discovery.instance.id=a/../b",
						"discovery.instance.id: Invalid instance id 'a/../b': must be 1-128 characters of "
								+ "[A-Za-z0-9._-], start with a letter or digit, and not contain '..'"),
				arguments("discovery.instance.host=http://me",
						"discovery.instance.host: Invalid host 'http://me': " + HOST_RULE + " (remove the scheme)"),
				arguments("discovery.instance.port=0",
						"discovery.instance.port: Invalid port '0': must be between 1 and 65535"),
				arguments("discovery.instance.preferred-networks=10.0.0.0/8,10.0.0.0/40",
						"discovery.instance.preferred-networks: Invalid preferred network '10.0.0.0/40': must have a "
								+ "prefix length of 0 to 32"),
				arguments("discovery.instance.ignored-interfaces=(docker",
						"discovery.instance.ignored-interfaces: Invalid ignored interface '(docker': must be a regular "
								+ "expression of interface names (Unclosed group)"),
				arguments("discovery.instance.metadata.version=" + "v".repeat(513),
						"discovery.instance.metadata: Invalid metadata value of 'version' '" + "v".repeat(40)
								+ "'... (513 characters): must be text of at most 512 bytes in UTF-8"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("settingsCheckedWhenBound")
	void settingRejectedWhenBoundIsReportedWithItsProperty(String setting, String problem, CapturedOutput output) {
		assertThat(startupReport(output, "--discovery.backend=inmemory", "--" + setting)).contains(problem);
	}

	static Stream<Arguments> derivedInstanceValues() {
		String service = "s".repeat(63);
		String host = "h".repeat(70);
		return Stream.of(
				arguments(List.of("--spring.application.name=My App"), "spring.application.name: Invalid service "
						+ "name 'My App': must be 1-63 characters of [A-Za-z0-9._-], start with a letter or digit, and "
						+ "not contain '..' (the service name, as discovery.instance.service is not set)",
						"Set discovery.instance.service to a service name that follows the rule above; "
								+ "spring.application.name can then stay as it is."),
				arguments(List.of("--discovery.instance.service=" + service, "--discovery.instance.host=" + host),
						"discovery.instance.id: Invalid instance id '" + "s".repeat(40) + "'... (139 characters): "
								+ "must be 1-128 characters of [A-Za-z0-9._-], start with a letter or digit, and not "
								+ "contain '..' (the default <service>-<host>-<port>, as the property is not set)",
						"Set discovery.instance.id to an id that follows the rule above."));
	}

	@ParameterizedTest
	@MethodSource("derivedInstanceValues")
	void invalidDerivedInstanceValueIsReportedWithThePropertyToSet(List<String> settings, String problem,
			String action, CapturedOutput output) {
		List<String> arguments = new ArrayList<>(List.of("--discovery.backend=inmemory", "--discovery.instance.port=9090"));
		arguments.addAll(settings);
		assertThat(startupReport(output, arguments.toArray(String[]::new)))
			.contains("Service discovery is misconfigured. " + problem, action);
	}

	private static String startupReport(CapturedOutput output, String... arguments) {
		SpringApplication application = new SpringApplication(DiscoveryOnly.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		assertThatException().isThrownBy(() -> application.run(arguments));
		String report = output.getAll();
		assertThat(report).contains("APPLICATION FAILED TO START").doesNotContain("\tat ");
		return report.substring(report.indexOf("Description:"));
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(DiscoveryAutoConfiguration.class)
	static class DiscoveryOnly {

	}

}
