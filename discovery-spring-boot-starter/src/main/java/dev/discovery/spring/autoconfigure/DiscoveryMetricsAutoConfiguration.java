package dev.discovery.spring.autoconfigure;

import dev.discovery.core.DiscoveryBackend;
import dev.discovery.core.DiscoveryClient;
import dev.discovery.spring.DiscoveryMetrics;
import dev.discovery.spring.SelfRegistration;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Registers the discovery meters when Micrometer and a {@link MeterRegistry} are present.
 */
@AutoConfiguration(after = DiscoveryAutoConfiguration.class,
		afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean({ MeterRegistry.class, DiscoveryBackend.class, DiscoveryClient.class })
public class DiscoveryMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	DiscoveryMetrics discoveryMetrics(MeterRegistry registry, DiscoveryBackend backend,
			ObjectProvider<DiscoveryClient> client, ObjectProvider<SelfRegistration> selfRegistration) {
		return new DiscoveryMetrics(registry, backend, client::getObject, selfRegistration.getIfAvailable());
	}

	@Bean
	SmartInitializingSingleton discoveryEventMetrics(DiscoveryMetrics metrics, DiscoveryClient client) {
		return () -> metrics.observe(client);
	}

}
