package dev.discovery.spring.autoconfigure;

import java.util.Arrays;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.ClassUtils;

/**
 * When Spring Cloud's auto-registration is active (an {@code AutoServiceRegistration} bean
 * exists, as Spring Cloud Consul's, and {@code spring.cloud.consul.discovery.register} is
 * not {@code false}), Spring Cloud registers this application and the starter's
 * self-registration backs off, so the application is registered once; this says so in
 * one INFO line at startup. Spring Cloud's switch
 * {@code spring.cloud.service-registry.auto-registration.enabled=false} hands the
 * registration back to the starter. Named by class so the starter does not depend on
 * Spring Cloud.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "discovery.registration.enabled", matchIfMissing = true)
@ConditionalOnBean(type = SpringCloudRegistrationConfiguration.AUTO_SERVICE_REGISTRATION)
@ConditionalOnBooleanProperty(name = SpringCloudRegistrationConfiguration.CONSUL_REGISTER, matchIfMissing = true)
class SpringCloudRegistrationConfiguration {

	static final String AUTO_SERVICE_REGISTRATION = "org.springframework.cloud.client.serviceregistry.AutoServiceRegistration";

	static final String CONSUL_REGISTER = "spring.cloud.consul.discovery.register";

	private static final Logger logger = LoggerFactory.getLogger(SpringCloudRegistrationConfiguration.class);

	@Bean
	SmartInitializingSingleton discoverySpringCloudRegistrationNotice(ConfigurableListableBeanFactory beanFactory) {
		return () -> {
			Class<?> type = ClassUtils.resolveClassName(AUTO_SERVICE_REGISTRATION, beanFactory.getBeanClassLoader());
			String registrars = Arrays.stream(beanFactory.getBeanNamesForType(type, false, false))
				.map((name) -> shortTypeName(beanFactory, name))
				.collect(Collectors.joining(", "));
			logger.info("Spring Cloud's {} registers this application; discovery's self-registration is off "
					+ "(spring.cloud.service-registry.auto-registration.enabled=false hands it to discovery)",
					registrars);
		};
	}

	private static String shortTypeName(ConfigurableListableBeanFactory beanFactory, String name) {
		Class<?> type = beanFactory.getType(name, false);
		return (type != null) ? ClassUtils.getUserClass(type).getSimpleName() : name;
	}

}
