package dev.discovery.spring.cloud;

import dev.discovery.consul.testserver.ConsulAgentExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The Spring Cloud clients' flow on a real Consul agent: OpenFeign and Spring Cloud's
 * {@code @LoadBalanced} clients choose with our policies from Consul's blocking queries.
 */
class SpringCloudClientsConsulIT extends SpringCloudClientsFlow {

	@RegisterExtension
	static final ConsulAgentExtension consul = ConsulAgentExtension.shared();

	@DynamicPropertySource
	static void consul(DynamicPropertyRegistry properties) {
		properties.add("discovery.backend", () -> "consul");
		properties.add("discovery.consul.host", consul::host);
		properties.add("discovery.consul.port", consul::port);
	}

}
