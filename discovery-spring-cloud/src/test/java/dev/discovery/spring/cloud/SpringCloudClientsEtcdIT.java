package dev.discovery.spring.cloud;

import dev.discovery.etcd.testserver.EtcdExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The Spring Cloud clients' flow on a real etcd server: OpenFeign and Spring Cloud's
 * {@code @LoadBalanced} clients choose with our policies from etcd's watch.
 */
class SpringCloudClientsEtcdIT extends SpringCloudClientsFlow {

	@RegisterExtension
	static final EtcdExtension etcd = EtcdExtension.anyEtcd();

	@DynamicPropertySource
	static void etcd(DynamicPropertyRegistry properties) {
		properties.add("discovery.backend", () -> "etcd");
		properties.add("discovery.etcd.endpoints", () -> String.join(",", etcd.endpoints()));
	}

}
