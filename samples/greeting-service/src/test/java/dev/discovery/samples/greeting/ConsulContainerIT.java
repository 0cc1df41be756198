package dev.discovery.samples.greeting;

import org.testcontainers.consul.ConsulContainer;
import org.testcontainers.junit.jupiter.Container;

import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.test.context.ActiveProfiles;

/**
 * The greeting service on a Consul agent in a container.
 */
@ActiveProfiles("consul")
class ConsulContainerIT extends RegistryContainerTest {

	@Container
	@ServiceConnection
	static ConsulContainer consul = new ConsulContainer("hashicorp/consul:1.8.7");

}
