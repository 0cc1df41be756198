package dev.discovery.spring.testcontainers;

import java.util.List;

import dev.discovery.spring.autoconfigure.EtcdConnectionDetails;
import org.testcontainers.junit.jupiter.Container;

import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.test.context.TestPropertySource;

/**
 * The service-connection flow on an {@link EtcdContainer}.
 */
@TestPropertySource(properties = "discovery.backend=etcd")
class EtcdServiceConnectionIT extends ServiceConnectionFlow {

	@Container
	@ServiceConnection
	static final EtcdContainer etcd = new EtcdContainer("quay.io/coreos/etcd:v3.5.16");

	@Override
	protected String backend() {
		return "etcd";
	}

	@Override
	protected Class<?> connectionDetailsType() {
		return EtcdConnectionDetails.class;
	}

	@Override
	protected List<String> registryProperties() {
		return List.of("discovery.etcd.endpoints=" + etcd.getClientEndpoint());
	}

}
