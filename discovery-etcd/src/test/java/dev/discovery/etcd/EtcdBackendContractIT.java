package dev.discovery.etcd;

import java.time.Duration;

import dev.discovery.core.DiscoveryBackend;
import dev.discovery.core.contract.DiscoveryBackendContractTest;
import dev.discovery.etcd.testserver.EtcdExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The backend contract, against a real etcd.
 */
class EtcdBackendContractIT extends DiscoveryBackendContractTest {

	@RegisterExtension
	static final EtcdExtension etcd = EtcdExtension.anyEtcd();

	@Override
	protected DiscoveryBackend createBackend(Duration ttl) {
		return EtcdBackend.builder()
			.endpoints(etcd.endpoints())
			.namespace("contract")
			.ttl(ttl)
			.requestTimeout(Duration.ofSeconds(2))
			.build();
	}

	@Override
	protected void crash(DiscoveryBackend backend) {
		((EtcdBackend) backend).crash();
	}

}
