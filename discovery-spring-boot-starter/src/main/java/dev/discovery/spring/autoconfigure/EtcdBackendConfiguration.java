package dev.discovery.spring.autoconfigure;

import java.util.HashMap;
import java.util.Map;

import dev.discovery.etcd.EtcdBackend;

import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Offers the etcd backend when discovery-etcd is on the classpath.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(EtcdBackend.class)
class EtcdBackendConfiguration {

	private static final Map<String, String> PROPERTIES = Map.of("namespace", "discovery.etcd.namespace",
			"requestTimeout", "discovery.etcd.request-timeout", "ttl", "discovery.registration.ttl");

	private static final Map<String, String> CONNECTION_PROPERTIES = Map.of("endpoint", "discovery.etcd.endpoints",
			"endpoints", "discovery.etcd.endpoints", "username", "discovery.etcd.username", "password",
			"discovery.etcd.password", "caFile", "discovery.etcd.ca-file", "clientCertFile",
			"discovery.etcd.client-cert-file", "clientKeyFile", "discovery.etcd.client-key-file");

	@Bean
	@ConditionalOnMissingBean
	EtcdConnectionDetails etcdConnectionDetails(DiscoveryProperties properties) {
		return new PropertiesEtcdConnectionDetails(properties.getEtcd());
	}

	@Bean
	DiscoveryBackendFactory etcdBackendFactory(EtcdConnectionDetails connection, DiscoveryProperties properties) {
		DiscoveryProperties.Etcd etcd = properties.getEtcd();
		Map<String, String> sources = new HashMap<>(PROPERTIES);
		if (connection instanceof PropertiesEtcdConnectionDetails) {
			sources.putAll(CONNECTION_PROPERTIES);
		}
		return new DiscoveryBackendFactory(DiscoveryProperties.Backend.ETCD, (ttl) -> EtcdBackend.builder()
			.endpoints(connection.getEndpoints())
			.namespace(etcd.getNamespace())
			.username(connection.getUsername())
			.password(connection.getPassword())
			.caFile(connection.getCaFile())
			.clientCertFile(connection.getClientCertFile())
			.clientKeyFile(connection.getClientKeyFile())
			.requestTimeout(etcd.getRequestTimeout())
			.ttl(ttl)
			.build(), Map.copyOf(sources));
	}

}
