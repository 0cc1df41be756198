package dev.discovery.spring.autoconfigure;

import dev.discovery.core.DiscoveryBackend;
import dev.discovery.core.InstanceStatus;
import dev.discovery.spring.SelfRegistration;

import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;

/**
 * Registers this application: on the web server's port once it is known (ignoring the
 * management server's), or on {@code discovery.instance.port} without a web server; UP when
 * the application is ready; deregistered before the web server drains on shutdown. Backs
 * off while Spring Cloud's auto-registration registers the application (see
 * {@link SpringCloudRegistrationConfiguration}).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "discovery.registration.enabled", matchIfMissing = true)
@Conditional(SelfRegistrationConfiguration.NoOtherRegistrarCondition.class)
class SelfRegistrationConfiguration {

	private static final String MANAGEMENT_SERVER_NAMESPACE = "management";

	@Bean
	@ConditionalOnMissingBean
	SelfRegistration selfRegistration(DiscoveryBackend backend, DiscoveryProperties properties,
			Environment environment, ResourceLoader resourceLoader) {
		DiscoveryProperties.Instance instance = properties.getInstance();
		boolean webServerSsl = WebServerSsl.enabled(environment, resourceLoader.getClassLoader());
		return new SelfRegistration(backend, new InstanceFactory(instance, environment, webServerSsl), instance.getPort());
	}

	@Bean
	ApplicationListener<ApplicationReadyEvent> discoveryReadyListener(SelfRegistration selfRegistration) {
		return (event) -> selfRegistration.setStatus(InstanceStatus.UP);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(WebServerInitializedEvent.class)
	static class WebServerRegistrationConfiguration {

		@Bean
		ApplicationListener<WebServerInitializedEvent> discoveryWebServerListener(SelfRegistration selfRegistration) {
			return (event) -> {
				if (!MANAGEMENT_SERVER_NAMESPACE.equals(event.getApplicationContext().getServerNamespace())) {
					selfRegistration.register(event.getWebServer().getPort());
				}
			};
		}

	}

	/**
	 * Matches unless Spring Cloud's auto-registration is there and registers.
	 */
	static class NoOtherRegistrarCondition extends AnyNestedCondition {

		NoOtherRegistrarCondition() {
			super(ConfigurationPhase.REGISTER_BEAN);
		}

		@ConditionalOnMissingBean(type = SpringCloudRegistrationConfiguration.AUTO_SERVICE_REGISTRATION)
		static class NoAutoServiceRegistration {

		}

		@ConditionalOnBooleanProperty(name = SpringCloudRegistrationConfiguration.CONSUL_REGISTER, havingValue = false)
		static class ConsulRegistrationSwitchedOff {

		}

	}

}
