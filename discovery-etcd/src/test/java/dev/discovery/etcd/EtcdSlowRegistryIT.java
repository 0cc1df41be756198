package dev.discovery.etcd;

import java.net.URI;
import java.time.Duration;

import dev.discovery.core.DiscoveryBackend;
import dev.discovery.core.contract.SlowRegistryContractTest;
import dev.discovery.etcd.testserver.EtcdExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A real etcd behind a proxy that delays or black-holes its traffic.
 */
class EtcdSlowRegistryIT extends SlowRegistryContractTest {

	@RegisterExtension
	static final EtcdExtension etcd = EtcdExtension.anyEtcd();

	@Override
	protected String registryHost() {
		return endpoint().getHost();
	}

	@Override
	protected int registryPort() {
		return endpoint().getPort();
	}

	@Override
	protected DiscoveryBackend createBackend(String host, int port, Duration ttl, Duration requestTimeout) {
		return EtcdBackend.builder()
			.endpoints("http://" + host + ":" + port)
			.namespace("slow")
			.ttl(ttl)
			.requestTimeout(requestTimeout)
			.build();
	}

	private static URI endpoint() {
		return URI.create(etcd.endpoints().get(0));
	}

}
