package dev.discovery.spring.autoconfigure;

import dev.discovery.consul.ConsulBackend;

import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Offers the Consul backend when discovery-consul is on the classpath.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(ConsulBackend.class)
class ConsulBackendConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ConsulConnectionDetails consulConnectionDetails(DiscoveryProperties properties) {
		return new PropertiesConsulConnectionDetails(properties.getConsul());
	}

	@Bean
	DiscoveryBackendFactory consulBackendFactory(ConsulConnectionDetails connection, DiscoveryProperties properties) {
		DiscoveryProperties.Consul.Check check = properties.getConsul().getCheck();
		return new DiscoveryBackendFactory(DiscoveryProperties.Backend.CONSUL, (ttl) -> ConsulBackend.builder()
			.host(connection.getHost())
			.port(connection.getPort())
			.scheme(connection.getScheme())
			.token(connection.getToken())
			.caFile(connection.getCaFile())
			.checkType(ConsulBackend.CheckType.valueOf(check.getType().name()))
			.checkPath(check.getPath())
			.checkInterval(check.getInterval())
			.deregisterCriticalAfter(check.getDeregisterCriticalAfter())
			.ttl(ttl)
			.build());
	}

}
