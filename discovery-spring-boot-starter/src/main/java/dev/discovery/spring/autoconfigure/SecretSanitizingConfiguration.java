package dev.discovery.spring.autoconfigure;

import java.util.Locale;

import dev.discovery.spring.DiscoveryEndpoint;

import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Masks the secret {@code discovery.*} properties (the etcd password, the Consul token, and
 * metadata whose keys look secret) in the actuator's {@code env} and {@code configprops}
 * endpoints, even when they are set to show values. The rule is the one the
 * {@code discovery} endpoint applies to metadata: the last segment of the name contains
 * password, secret, token or key.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(SanitizingFunction.class)
class SecretSanitizingConfiguration {

	private static final String PREFIX = "discovery.";

	@Bean
	SanitizingFunction discoverySecretsSanitizingFunction() {
		return SanitizingFunction.sanitizeValue().ifKeyMatches(SecretSanitizingConfiguration::isSecret);
	}

	/**
	 * Tells whether a property holds a discovery secret, in any of the forms the endpoints
	 * show its name: {@code discovery.etcd.password}, {@code DISCOVERY_ETCD_PASSWORD}.
	 * @param name the property's name
	 * @return whether its value must be masked
	 */
	static boolean isSecret(String name) {
		String key = name.toLowerCase(Locale.ROOT).replace('_', '.');
		return key.startsWith(PREFIX) && DiscoveryEndpoint.isSecret(key.substring(key.lastIndexOf('.') + 1));
	}

}
