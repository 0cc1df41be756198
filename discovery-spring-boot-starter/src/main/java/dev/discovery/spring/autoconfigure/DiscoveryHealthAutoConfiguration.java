package dev.discovery.spring.autoconfigure;

import dev.discovery.core.DiscoveryBackend;
import dev.discovery.core.DiscoveryClient;
import dev.discovery.spring.DiscoveryHealthIndicator;
import dev.discovery.spring.SelfRegistration;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * Contributes the {@code discovery} health indicator when Spring Boot's health support is
 * present.
 */
@AutoConfiguration(after = DiscoveryAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean({ DiscoveryBackend.class, DiscoveryClient.class })
@ConditionalOnEnabledHealthIndicator("discovery")
public class DiscoveryHealthAutoConfiguration {

	@Bean(name = "discoveryHealthIndicator")
	@ConditionalOnMissingBean(name = "discoveryHealthIndicator")
	DiscoveryHealthIndicator discoveryHealthIndicator(DiscoveryBackend backend, DiscoveryClient client,
			ObjectProvider<SelfRegistration> selfRegistration) {
		return new DiscoveryHealthIndicator(backend, client, selfRegistration.getIfAvailable());
	}

}
