package dev.discovery.spring.autoconfigure;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;

/**
 * Where this application serves its actuator health endpoint over HTTP, which is where the
 * Consul agent's http check polls it: on the management port when management runs on a port
 * of its own ({@code management.server.port}), over https there as its SSL settings say
 * (see {@link WebServerSsl}), at the path Spring Boot maps the endpoint to (the servlet
 * context path and dispatcher servlet path, or WebFlux's base path, or on a management port
 * of its own {@code management.server.base-path}; then
 * {@code management.endpoints.web.base-path} and the endpoint's path mapping).
 *
 * @param port the management port, or {@code null} when health is served on the
 * application's own port
 * @param secure whether the management port serves https, or {@code null} when health is
 * served on the application's own port, whose scheme the instance has
 * @param path the endpoint's path on that port
 */
record HealthEndpointLocation(@Nullable Integer port, @Nullable Boolean secure, String path) {

	private static final String MANAGEMENT_PORT_TYPE_CLASS = "org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType";

	/**
	 * Reads the location from the application's settings.
	 * @param environment the application's environment
	 * @param classLoader the application's class loader
	 * @return the location
	 * @throws InvalidDiscoveryPropertyException if management is served on no port the agent
	 * can be given: turned off over HTTP, or on a random port
	 */
	static HealthEndpointLocation of(Environment environment, @Nullable ClassLoader classLoader) {
		String endpoint = path(environment.getProperty("management.endpoints.web.base-path", "/actuator"))
				+ path(environment.getProperty("management.endpoints.web.path-mapping.health", "health"));
		if (!ClassUtils.isPresent(MANAGEMENT_PORT_TYPE_CLASS, classLoader) || !ManagementPort.ownPort(environment)) {
			String prefix = path(environment.getProperty("server.servlet.context-path", ""))
					+ path(environment.getProperty("spring.mvc.servlet.path", ""))
					+ path(environment.getProperty("spring.webflux.base-path", ""));
			return new HealthEndpointLocation(null, null, prefix + endpoint);
		}
		int port = environment.getRequiredProperty("management.server.port", Integer.class);
		if (port <= 0) {
			String problem = (port == 0)
					? "'0' picks a random port, which is known only after the Consul agent's http check must be "
							+ "registered (discovery.consul.check.type=http)"
					: "'" + port + "' serves no management endpoint over HTTP, so the Consul agent's http check "
							+ "(discovery.consul.check.type=http) could never pass";
			throw new InvalidDiscoveryPropertyException("management.server.port", problem,
					"Set management.server.port to a fixed port, or set discovery.consul.check.type=ttl.");
		}
		return new HealthEndpointLocation(port, WebServerSsl.managementEnabled(environment, classLoader),
				path(environment.getProperty("management.server.base-path", "")) + endpoint);
	}

	/**
	 * Turns a configured path segment into one that starts with {@code /} and does not end
	 * with it, or into nothing for an empty or root path.
	 */
	private static String path(String configured) {
		String trimmed = StringUtils.trimTrailingCharacter(configured.trim(), '/');
		if (trimmed.isEmpty()) {
			return "";
		}
		return trimmed.startsWith("/") ? trimmed : "/" + trimmed;
	}

	/**
	 * Asks Spring Boot's actuator whether management runs apart; loaded only where the
	 * actuator's auto-configuration is.
	 */
	private static final class ManagementPort {

		static boolean ownPort(Environment environment) {
			return ManagementPortType.get(environment) != ManagementPortType.SAME;
		}

	}

}
