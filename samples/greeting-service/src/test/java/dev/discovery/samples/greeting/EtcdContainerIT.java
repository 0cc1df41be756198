package dev.discovery.samples.greeting;

import dev.discovery.spring.testcontainers.EtcdContainer;
import org.testcontainers.junit.jupiter.Container;

import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.test.context.ActiveProfiles;

/**
 * The greeting service on etcd in a container.
 */
@ActiveProfiles("etcd")
class EtcdContainerIT extends RegistryContainerTest {

	@Container
	@ServiceConnection
	static EtcdContainer etcd = new EtcdContainer("quay.io/coreos/etcd:v3.5.16");

}
