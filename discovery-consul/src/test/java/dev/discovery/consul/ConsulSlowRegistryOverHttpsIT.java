package dev.discovery.consul;

import java.time.Duration;
import java.util.Map;

import dev.discovery.consul.testserver.ConsulAgentExtension;
import dev.discovery.core.DiscoveryBackend;
import dev.discovery.core.contract.SlowRegistryContractTest;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real Consul agent served over https behind a proxy that delays or black-holes its
 * traffic: its watches hold their blocking queries on HTTP/2 streams, so this proves the
 * streams' deadlines and their recovery, which the same contract over http does not reach.
 */
class ConsulSlowRegistryOverHttpsIT extends SlowRegistryContractTest {

	@RegisterExtension
	static final ConsulAgentExtension consul = ConsulAgentExtension.withTls();

	@Override
	protected String registryHost() {
		return consul.host();
	}

	@Override
	protected int registryPort() {
		return consul.httpsPort();
	}

	@Override
	protected DiscoveryBackend createBackend(String host, int port, Duration ttl, Duration requestTimeout) {
		return ConsulBackend.builder()
			.scheme("https")
			.caFile(consul.caFile())
			.host(host)
			.port(port)
			.ttl(ttl)
			.requestTimeout(requestTimeout)
			.build();
	}

	@Override
	protected void awaitWatching(DiscoveryBackend backend) {
		Awaitility.await()
			.atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> {
				Map<String, Object> details = backend.health().details();
				assertThat(details).containsEntry("http2Streams", "in use")
					.containsEntry("blockingQueries", details.get("watches"));
			});
	}

}
