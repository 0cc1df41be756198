package dev.discovery.spring.autoconfigure;

import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.web.server.Ssl;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * Whether this application's web servers serve https, as Spring Boot decides it: the
 * application's from {@code server.ssl.*}, when any of those properties is set and
 * {@code server.ssl.enabled} is not {@code false}; a management server on a port of its own
 * from {@code management.server.ssl.*} the same way, or where none of those is set from
 * {@code server.ssl.*}, which it inherits. Without Spring Boot's web server module, never.
 */
final class WebServerSsl {

	private static final String SSL_CLASS = "org.springframework.boot.web.server.Ssl";

	private WebServerSsl() {
	}

	/**
	 * Reads {@code server.ssl.*}.
	 * @param environment the application's environment
	 * @param classLoader the application's class loader
	 * @return whether the web server serves https
	 */
	static boolean enabled(Environment environment, @Nullable ClassLoader classLoader) {
		return ClassUtils.isPresent(SSL_CLASS, classLoader) && ServerSsl.enabled(environment, false);
	}

	/**
	 * Reads {@code management.server.ssl.*}, else {@code server.ssl.*}.
	 * @param environment the application's environment
	 * @param classLoader the application's class loader
	 * @return whether a management server on a port of its own serves https
	 */
	static boolean managementEnabled(Environment environment, @Nullable ClassLoader classLoader) {
		return ClassUtils.isPresent(SSL_CLASS, classLoader) && ServerSsl.enabled(environment, true);
	}

	/**
	 * Binds a server's SSL settings; loaded only where Spring Boot's web server module is.
	 */
	private static final class ServerSsl {

		/**
		 * Binds {@code server.ssl}, or for a management server {@code management.server.ssl}
		 * and only where none of it is set {@code server.ssl}.
		 */
		static boolean enabled(Environment environment, boolean management) {
			Binder binder = Binder.get(environment);
			Supplier<@Nullable Ssl> server = () -> binder.bind("server.ssl", Ssl.class).orElse(null);
			return Ssl.isEnabled(management ? binder.bind("management.server.ssl", Ssl.class).orElseGet(server)
					: server.get());
		}

	}

}
