package dev.discovery.spring.cloud.autoconfigure;

import dev.discovery.spring.SelfRegistration;
import dev.discovery.spring.autoconfigure.DiscoveryAutoConfiguration;
import dev.discovery.spring.cloud.CloudRegistration;
import dev.discovery.spring.cloud.CloudServiceRegistry;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.cloud.client.serviceregistry.ServiceRegistry;
import org.springframework.context.annotation.Bean;

/**
 * Spring Cloud's {@link ServiceRegistry} and
 * {@link org.springframework.cloud.client.serviceregistry.Registration} over the
 * starter's own registration of this application, so Spring Cloud's
 * {@code serviceregistry} endpoint works; the application is still registered once, by
 * the starter. Backs off when another {@link ServiceRegistry} is there (Spring Cloud
 * Consul's, for one), so that Spring Cloud's endpoint finds exactly one; and when Spring
 * Cloud's auto-registration registers the application, the starter does not, so there is
 * nothing of ours to show. Off with {@code spring.cloud.service-registry.enabled=false}.
 */
@AutoConfiguration(after = DiscoveryAutoConfiguration.class,
		afterName = "org.springframework.cloud.consul.serviceregistry.ConsulServiceRegistryAutoConfiguration",
		beforeName = "org.springframework.cloud.client.serviceregistry.ServiceRegistryAutoConfiguration")
@ConditionalOnBean(SelfRegistration.class)
@ConditionalOnMissingBean(ServiceRegistry.class)
@ConditionalOnBooleanProperty(name = "spring.cloud.service-registry.enabled", matchIfMissing = true)
public class SpringCloudServiceRegistryAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	CloudRegistration discoveryCloudRegistration(SelfRegistration selfRegistration) {
		return new CloudRegistration(selfRegistration);
	}

	@Bean
	@ConditionalOnMissingBean
	CloudServiceRegistry discoveryCloudServiceRegistry() {
		return new CloudServiceRegistry();
	}

}
