package dev.discovery.grpc;

import java.time.Duration;

import dev.discovery.core.DiscoveryBackend;
import dev.discovery.etcd.EtcdBackend;
import dev.discovery.etcd.EtcdCrashes;
import dev.discovery.etcd.testserver.EtcdExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The greeting fleet on a real etcd: a killed server's lease expires after the 2 s TTL.
 */
class EtcdGreetingIT extends RegistryGreetingContract {

	@RegisterExtension
	static final EtcdExtension etcd = EtcdExtension.anyEtcd();

	private final String namespace = "grpc-" + System.nanoTime();

	@Override
	DiscoveryBackend backend() {
		return EtcdBackend.builder().endpoints(etcd.endpoints()).namespace(this.namespace).ttl(Duration.ofSeconds(2)).build();
	}

	@Override
	void crash(DiscoveryBackend backend) {
		EtcdCrashes.crash((EtcdBackend) backend);
	}

}
