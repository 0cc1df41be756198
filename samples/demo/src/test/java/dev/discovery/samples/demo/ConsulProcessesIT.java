package dev.discovery.samples.demo;

import java.util.List;

import dev.discovery.core.DiscoveryBackend;
import dev.discovery.consul.testserver.ConsulAgentExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The sample applications as separate processes on a real Consul agent, with the
 * {@code consul} profile.
 */
class ConsulProcessesIT extends SeparateProcessesFlow {

	@RegisterExtension
	static final ConsulAgentExtension consul = ConsulAgentExtension.own();

	@Override
	protected String profile() {
		return "consul";
	}

	@Override
	protected List<String> connectionArguments() {
		return List.of("--discovery.consul.host=" + consul.host(), "--discovery.consul.port=" + consul.port());
	}

	@Override
	protected DiscoveryBackend backend() {
		return consul.backend().build();
	}

}
