package dev.discovery.spring.registry;

import java.util.List;

import dev.discovery.etcd.testserver.EtcdAuthentication;
import dev.discovery.etcd.testserver.EtcdExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The two-application flow on a real etcd with authentication enabled.
 */
class EtcdApplicationsIT extends TwoApplicationsFlow {

	private static final String PASSWORD = "etcd-pa55-91c4";

	@RegisterExtension
	static final EtcdExtension etcd = EtcdExtension.ownCluster(1);

	@BeforeAll
	static void enableAuthentication() throws Exception {
		EtcdAuthentication.enable(etcd.endpoints(), "app", PASSWORD, "/discovery/");
	}

	@Override
	protected String backend() {
		return "etcd";
	}

	@Override
	protected List<String> connectionProperties() {
		return List.of("discovery.etcd.endpoints=" + String.join(",", etcd.endpoints()), "discovery.etcd.username=app",
				"discovery.etcd.password=" + PASSWORD);
	}

	@Override
	protected String credential() {
		return PASSWORD;
	}

}
