package dev.discovery.spring.autoconfigure;

import dev.discovery.core.DiscoveryBackend;
import dev.discovery.core.DiscoveryClient;
import dev.discovery.spring.DiscoveryEndpoint;
import dev.discovery.spring.SelfRegistration;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Provides the {@code discovery} actuator endpoint when it is available (enabled and
 * exposed).
 */
@AutoConfiguration(after = DiscoveryAutoConfiguration.class)
@ConditionalOnClass(Endpoint.class)
@ConditionalOnBean({ DiscoveryBackend.class, DiscoveryClient.class })
@ConditionalOnAvailableEndpoint(DiscoveryEndpoint.class)
public class DiscoveryEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	DiscoveryEndpoint discoveryEndpoint(DiscoveryBackend backend, DiscoveryClient client,
			ObjectProvider<SelfRegistration> selfRegistration) {
		return new DiscoveryEndpoint(backend, client, selfRegistration.getIfAvailable());
	}

}
