package dev.discovery.spring.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.discovery.core.DiscoveryBackend;
import dev.discovery.core.DiscoveryClient;
import dev.discovery.spring.LoadBalancerCustomizer;
import dev.discovery.spring.ServiceLoadBalancers;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * Auto-configuration of service discovery: the {@link DiscoveryBackend} that
 * {@code discovery.backend} selects, the per-service load balancers, the
 * {@link DiscoveryClient}, this application's registration, and the masking of the
 * secret {@code discovery.*} properties in the actuator. Every bean backs off when the
 * application defines its own. Runs after Spring Cloud Consul's auto-registration, whose
 * registration the starter's then leaves to it, and after Spring Cloud's
 * {@code AutoServiceRegistrationAutoConfiguration}, listed first because Consul's only
 * names a configuration that it imports: without it, ordering after Consul's would move
 * Consul's ahead of the properties it needs, and Spring Cloud Consul would not register.
 */
@AutoConfiguration(afterName = {
		"org.springframework.cloud.client.serviceregistry.AutoServiceRegistrationAutoConfiguration",
		"org.springframework.cloud.consul.serviceregistry.ConsulAutoServiceRegistrationAutoConfiguration" })
@ConditionalOnBooleanProperty(name = "discovery.enabled", matchIfMissing = true)
@EnableConfigurationProperties(DiscoveryProperties.class)
@Import({ InMemoryBackendConfiguration.class, EtcdBackendConfiguration.class, ConsulBackendConfiguration.class,
		SelfRegistrationConfiguration.class, SpringCloudRegistrationConfiguration.class,
		SecretSanitizingConfiguration.class })
public class DiscoveryAutoConfiguration {

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	DiscoveryBackend discoveryBackend(DiscoveryProperties properties, ObjectProvider<DiscoveryBackendFactory> factories) {
		return BackendSelection.select(properties.getBackend(), factories.orderedStream().toList())
			.create(properties.getRegistration().getTtl());
	}

	@Bean
	@ConditionalOnMissingBean
	ServiceLoadBalancers serviceLoadBalancers(DiscoveryProperties properties,
			ObjectProvider<LoadBalancerCustomizer> customizers) {
		DiscoveryProperties.LoadBalancer settings = properties.getLoadBalancer();
		Map<String, String> strategies = new LinkedHashMap<>();
		settings.getServices()
			.keySet()
			.forEach((service) -> strategies.put(service, settings.forService(service).getStrategy()));
		return new ServiceLoadBalancers(settings.getStrategy(), strategies, customizers.orderedStream().toList());
	}

	@Bean
	@ConditionalOnMissingBean
	BalancingPolicies discoveryBalancingPolicies(DiscoveryProperties properties, ServiceLoadBalancers balancers) {
		return new BalancingPolicies(properties.getLoadBalancer(), balancers, properties.getInstance().getZone());
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	DiscoveryClient discoveryClient(DiscoveryBackend backend, BalancingPolicies policies) {
		return new DiscoveryClient(backend, policies, System::nanoTime);
	}

}
