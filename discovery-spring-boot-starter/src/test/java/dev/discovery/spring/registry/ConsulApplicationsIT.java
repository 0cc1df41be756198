package dev.discovery.spring.registry;

import java.util.List;

import dev.discovery.consul.testserver.ConsulAgentExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The two-application flow on a real Consul agent with ACLs enabled and default policy deny.
 */
class ConsulApplicationsIT extends TwoApplicationsFlow {

	@RegisterExtension
	static final ConsulAgentExtension consul = ConsulAgentExtension.withAcl();

	private static String token = "";

	@BeforeAll
	static void createToken() throws Exception {
		token = consul.createToken(ConsulAgentExtension.REGISTER_AND_DISCOVER_RULES);
	}

	@Override
	protected String backend() {
		return "consul";
	}

	@Override
	protected List<String> connectionProperties() {
		return List.of("discovery.consul.host=" + consul.host(), "discovery.consul.port=" + consul.port(),
				"discovery.consul.token=" + token);
	}

	@Override
	protected String credential() {
		return token;
	}

}
