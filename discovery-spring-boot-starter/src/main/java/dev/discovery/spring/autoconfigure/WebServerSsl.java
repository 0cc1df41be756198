package dev.discovery.spring.autoconfigure;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.web.server.Ssl;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * Whether this application's web server serves https, as Spring Boot decides it from
 * {@code server.ssl.*}: when any of those properties is set and {@code server.ssl.enabled}
 * is not {@code false}. Without Spring Boot's web server module, never.
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
		return ClassUtils.isPresent(SSL_CLASS, classLoader) && ServerSsl.enabled(environment);
	}

	/**
	 * Binds {@code server.ssl}; loaded only where Spring Boot's web server module is.
	 */
	private static final class ServerSsl {

		static boolean enabled(Environment environment) {
			return Ssl.isEnabled(Binder.get(environment).bind("server.ssl", Ssl.class).orElse(null));
		}

	}

}
