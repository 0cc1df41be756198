package dev.discovery.spring.autoconfigure;

import java.util.HashMap;
import java.util.Map;

import dev.discovery.consul.ConsulBackend;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;

/**
 * Offers the Consul backend when discovery-consul is on the classpath. An http check polls
 * the actuator's health endpoint where the application serves it (see
 * {@link HealthEndpointLocation}) unless {@code discovery.consul.check.path} says otherwise,
 * and startup fails when the application does not serve that endpoint (see
 * {@link HealthEndpointExposure}).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(ConsulBackend.class)
class ConsulBackendConfiguration {

	private static final Map<String, String> PROPERTIES = Map.of("checkPath", "discovery.consul.check.path",
			"checkPort", "management.server.port", "checkInterval", "discovery.consul.check.interval",
			"checkFailuresBeforeCritical", "discovery.consul.check.failures-before-critical",
			"checkSuccessesBeforePassing", "discovery.consul.check.successes-before-passing", "deregisterCriticalAfter",
			"discovery.consul.check.deregister-critical-after", "ttl", "discovery.registration.ttl", "maxConnections",
			"discovery.consul.max-connections");

	private static final Map<String, String> CONNECTION_PROPERTIES = Map.of("host", "discovery.consul.host", "port",
			"discovery.consul.port", "scheme", "discovery.consul.scheme", "token", "discovery.consul.token", "caFile",
			"discovery.consul.ca-file");

	@Bean
	@ConditionalOnMissingBean
	ConsulConnectionDetails consulConnectionDetails(DiscoveryProperties properties) {
		return new PropertiesConsulConnectionDetails(properties.getConsul());
	}

	@Bean
	DiscoveryBackendFactory consulBackendFactory(ConsulConnectionDetails connection, DiscoveryProperties properties,
			Environment environment, ResourceLoader resourceLoader) {
		DiscoveryProperties.Consul.Check check = properties.getConsul().getCheck();
		HealthEndpointLocation health = (check.getType() == DiscoveryProperties.Consul.CheckType.HTTP)
				? HealthEndpointLocation.of(environment, resourceLoader.getClassLoader()) : null;
		String checkPath = (check.getPath() != null || health == null) ? check.getPath() : health.path();
		Map<String, String> sources = new HashMap<>(PROPERTIES);
		if (connection instanceof PropertiesConsulConnectionDetails) {
			sources.putAll(CONNECTION_PROPERTIES);
		}
		return new DiscoveryBackendFactory(DiscoveryProperties.Backend.CONSUL, (ttl) -> {
			ConsulBackend.Builder builder = ConsulBackend.builder()
				.host(connection.getHost())
				.port(connection.getPort())
				.scheme(connection.getScheme())
				.token(connection.getToken())
				.caFile(connection.getCaFile())
				.checkType(ConsulBackend.CheckType.valueOf(check.getType().name()))
				.checkPort((health != null) ? health.port() : null)
				.checkSecure((health != null) ? health.secure() : null)
				.checkInterval(check.getInterval())
				.checkTlsSkipVerify(check.isTlsSkipVerify())
				.checkFailuresBeforeCritical(check.getFailuresBeforeCritical())
				.checkSuccessesBeforePassing(check.getSuccessesBeforePassing())
				.deregisterCriticalAfter(check.getDeregisterCriticalAfter())
				.maxConnections(properties.getConsul().getMaxConnections())
				.ttl(ttl);
			if (checkPath != null) {
				builder.checkPath(checkPath);
			}
			return builder.build();
		}, Map.copyOf(sources));
	}

	@Bean
	HealthEndpointExposure discoveryConsulHealthEndpointExposure(DiscoveryProperties properties,
			ListableBeanFactory beanFactory, ResourceLoader resourceLoader) {
		return new HealthEndpointExposure(properties.getConsul().getCheck(), beanFactory, resourceLoader.getClassLoader());
	}

}
