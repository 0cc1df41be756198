package dev.discovery.spring.testcontainers;

import java.util.List;

import dev.discovery.spring.autoconfigure.ConsulConnectionDetails;
import org.testcontainers.consul.ConsulContainer;
import org.testcontainers.junit.jupiter.Container;

import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.test.context.TestPropertySource;

/**
 * The service-connection flow on Testcontainers' {@link ConsulContainer}.
 */
@TestPropertySource(properties = "discovery.backend=consul")
class ConsulServiceConnectionIT extends ServiceConnectionFlow {

	@Container
	@ServiceConnection
	static final ConsulContainer consul = new ConsulContainer("hashicorp/consul:1.8.7");

	@Override
	protected String backend() {
		return "consul";
	}

	@Override
	protected Class<?> connectionDetailsType() {
		return ConsulConnectionDetails.class;
	}

	@Override
	protected List<String> registryProperties() {
		return List.of("discovery.consul.host=" + consul.getHost(),
				"discovery.consul.port=" + consul.getMappedPort(8500));
	}

}
