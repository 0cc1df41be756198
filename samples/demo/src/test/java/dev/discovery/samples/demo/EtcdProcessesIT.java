package dev.discovery.samples.demo;

import java.util.List;

import dev.discovery.core.DiscoveryBackend;
import dev.discovery.etcd.EtcdBackend;
import dev.discovery.etcd.testserver.EtcdExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The sample applications as separate processes on a real etcd, with the {@code etcd}
 * profile.
 */
class EtcdProcessesIT extends SeparateProcessesFlow {

	@RegisterExtension
	static final EtcdExtension etcd = EtcdExtension.ownCluster(1);

	@Override
	protected String profile() {
		return "etcd";
	}

	@Override
	protected List<String> connectionArguments() {
		return List.of("--discovery.etcd.endpoints=" + String.join(",", etcd.endpoints()));
	}

	@Override
	protected DiscoveryBackend backend() {
		return EtcdBackend.builder().endpoints(etcd.endpoints()).build();
	}

}
