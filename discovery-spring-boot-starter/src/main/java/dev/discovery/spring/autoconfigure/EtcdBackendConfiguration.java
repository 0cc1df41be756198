package dev.discovery.spring.autoconfigure;

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

	@Bean
	@ConditionalOnMissingBean
	EtcdConnectionDetails etcdConnectionDetails(DiscoveryProperties properties) {
		return new PropertiesEtcdConnectionDetails(properties.getEtcd());
	}

	@Bean
	DiscoveryBackendFactory etcdBackendFactory(EtcdConnectionDetails connection, DiscoveryProperties properties) {
		DiscoveryProperties.Etcd etcd = properties.getEtcd();
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
			.build());
	}

}
