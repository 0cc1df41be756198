package dev.discovery.spring.autoconfigure;

import dev.discovery.inmemory.InMemoryBackend;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Offers the embedded in-memory registry, shared by every application in this JVM.
 */
@Configuration(proxyBeanMethods = false)
class InMemoryBackendConfiguration {

	@Bean
	DiscoveryBackendFactory inMemoryBackendFactory() {
		return new DiscoveryBackendFactory(DiscoveryProperties.Backend.INMEMORY, InMemoryBackend::new);
	}

}
