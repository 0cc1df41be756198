package dev.discovery.core.contract;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.IntStream;

import dev.discovery.core.DiscoveryBackend;
import dev.discovery.core.Registration;
import dev.discovery.core.ServiceInstance;

import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * One bad input a caller can hand a backend next to a registered instance, with the error
 * it must get. {@link #all()} lists the catalogue that
 * {@link DiscoveryBackendContractTest} runs against every backend.
 *
 * @param description what is bad, for the test name
 * @param call makes the bad call next to a registered instance
 * @param error the type of the expected exception
 * @param message the exact message of the expected exception
 */
public record BadInput(String description, Call call, Class<? extends RuntimeException> error, String message) {

	private static final String NAME_RULE = "must be 1-%d characters of [A-Za-z0-9._-], start with a letter or digit, "
			+ "and not contain '..'";

	private static final String HOST_RULE = "must be a host name or IP address of 1-253 characters, without scheme, "
			+ "port or path";

	private static final String METADATA_KEY_RULE = "must be 1-128 characters of [A-Za-z0-9_-] and not start with "
			+ "'consul-' or 'discovery-'";

	private static final String METADATA_VALUE_RULE = "must be text of at most 512 bytes in UTF-8";

	@Override
	public String toString() {
		return this.description;
	}

	/**
	 * Every bad input, each with its exact message: names and ids with {@code /},
	 * {@code ..}, {@code %2F}, NUL, a space, 1000 characters or an emoji; metadata over each
	 * limit; ports out of range; hosts empty, with a scheme or with a port; a null status. A
	 * bad service name is also read and watched, and must get the same message there.
	 * @return the catalogue
	 */
	public static List<BadInput> all() {
		List<BadInput> inputs = new ArrayList<>();
		badNames().forEach((name, shown) -> {
			inputs.add(badServiceName(name, shown));
			inputs.add(new BadInput("instance id " + shown,
					(backend, registered) -> backend
						.register(registered.instance().toBuilder().id(name).build()),
					IllegalArgumentException.class,
					"Invalid instance id " + shown + ": " + NAME_RULE.formatted(128)));
		});
		inputs.add(metadata("65 metadata entries", entries(65), "Invalid metadata '65 entries': must have at most 64 entries"));
		inputs.add(metadata("metadata key of 129 characters", Map.of("k".repeat(129), "v"),
				"Invalid metadata key '" + "k".repeat(40) + "'... (129 characters): " + METADATA_KEY_RULE));
		inputs.add(metadata("metadata key with a slash", Map.of("a/b", "v"),
				"Invalid metadata key 'a/b': " + METADATA_KEY_RULE));
		inputs.add(metadata("metadata value of 513 characters", Map.of("k", "v".repeat(513)),
				"Invalid metadata value of 'k' '" + "v".repeat(40) + "'... (513 characters): " + METADATA_VALUE_RULE));
		inputs.add(metadata("metadata value of 257 characters in 514 bytes", Map.of("k", "\u00e9".repeat(257)),
				"Invalid metadata value of 'k' '" + "\\u00E9".repeat(40) + "'... (257 characters): "
						+ METADATA_VALUE_RULE));
		inputs.add(metadata("metadata value with an unpaired surrogate", Map.of("k", "\uD83D"),
				"Invalid metadata value of 'k' '\\uD83D': " + METADATA_VALUE_RULE));
		inputs.add(address("port 0", "127.0.0.1", 0, "Invalid port '0': must be between 1 and 65535"));
		inputs.add(address("port 65536", "127.0.0.1", 65536, "Invalid port '65536': must be between 1 and 65535"));
		inputs.add(address("empty host", "", 8080, "Invalid host '': " + HOST_RULE));
		inputs.add(address("host with a scheme", "http://x", 8080,
				"Invalid host 'http://x': " + HOST_RULE + " (remove the scheme)"));
		inputs.add(address("host with a port", "x:8080", 8080,
				"Invalid host 'x:8080': " + HOST_RULE + " (a host with ':' must be an IPv6 address)"));
		inputs.add(new BadInput("null status", (backend, registered) -> registered.setStatus(null),
				NullPointerException.class, "status must not be null"));
		return List.copyOf(inputs);
	}

	private static Map<String, String> badNames() {
		Map<String, String> names = new LinkedHashMap<>();
		names.put("a/b", "'a/b'");
		names.put("..", "'..'");
		names.put("a%2Fb", "'a%2Fb'");
		names.put("a\u0000b", "'a\\u0000b'");
		names.put("has space", "'has space'");
		names.put("x".repeat(1000), "'" + "x".repeat(40) + "'... (1000 characters)");
		names.put("rocket-\uD83D\uDE80", "'rocket-\\uD83D\\uDE80'");
		return names;
	}

	private static BadInput badServiceName(String name, String shown) {
		String message = "Invalid service name " + shown + ": " + NAME_RULE.formatted(63);
		return new BadInput("service name " + shown, (backend, registered) -> {
			assertThatIllegalArgumentException().isThrownBy(() -> backend.instances(name)).withMessage(message);
			assertThatIllegalArgumentException().isThrownBy(() -> backend.watch(name, (list) -> {
			})).withMessage(message);
			ServiceInstance instance = registered.instance();
			backend.register(ServiceInstance.builder(name, instance.host(), instance.port()).id(instance.id()).build());
		}, IllegalArgumentException.class, message);
	}

	private static BadInput metadata(String description, Map<String, String> metadata, String message) {
		return reRegistration(description,
				(instance) -> ServiceInstance.builder(instance.service(), instance.host(), instance.port()).metadata(metadata),
				message);
	}

	private static BadInput address(String description, String host, int port, String message) {
		return reRegistration(description, (instance) -> ServiceInstance.builder(instance.service(), host, port),
				message);
	}

	private static BadInput reRegistration(String description,
			Function<ServiceInstance, ServiceInstance.Builder> variant, String message) {
		return new BadInput(description, (backend, registered) -> backend
			.register(variant.apply(registered.instance()).id(registered.instance().id()).build()),
				IllegalArgumentException.class, message);
	}

	private static Map<String, String> entries(int count) {
		Map<String, String> entries = new LinkedHashMap<>();
		IntStream.range(0, count).forEach((i) -> entries.put("k" + i, "v"));
		return entries;
	}

	/**
	 * A bad call made next to a registered instance.
	 */
	@FunctionalInterface
	public interface Call {

		/**
		 * Makes the call.
		 * @param backend the backend that holds the registration
		 * @param registered the registration of a good instance
		 * @throws Exception the rejection
		 */
		void make(DiscoveryBackend backend, Registration registered) throws Exception;

	}

}
