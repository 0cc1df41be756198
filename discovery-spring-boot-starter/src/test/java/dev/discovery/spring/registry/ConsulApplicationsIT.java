package dev.discovery.spring.registry;

import java.util.List;
import java.util.UUID;

import dev.discovery.consul.testserver.ConsulAgentExtension;
import dev.discovery.core.DiscoveryBackend;
import dev.discovery.core.DiscoveryException;
import dev.discovery.core.ServiceInstance;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The two-application flow on a real Consul agent with ACLs enabled and default policy
 * deny, with a token that may register the two applications' services only.
 */
class ConsulApplicationsIT extends TwoApplicationsFlow {

	@RegisterExtension
	static final ConsulAgentExtension consul = ConsulAgentExtension.withAcl();

	private static final String WRONG_TOKEN = UUID.randomUUID().toString();

	private static String token = "";

	@BeforeAll
	static void createToken() throws Exception {
		token = consul.createToken(ConsulAgentExtension.registerOnlyRules("greeting-consul", "caller-consul"));
	}

	@Override
	protected String backend() {
		return "consul";
	}

	@Override
	protected List<String> connectionProperties() {
		return connection(token);
	}

	@Override
	protected List<String> refusedConnectionProperties() {
		return connection(WRONG_TOKEN);
	}

	@Override
	protected List<String> credentialProperties() {
		return List.of("discovery.consul.token");
	}

	@Override
	protected List<String> secrets() {
		return List.of(token, WRONG_TOKEN);
	}

	@Override
	protected DiscoveryException refuseOperation(ConfigurableApplicationContext service) {
		DiscoveryBackend backend = service.getBean(DiscoveryBackend.class);
		ServiceInstance intruder = ServiceInstance.builder("intruder-consul", "127.0.0.1", 9).build();
		DiscoveryException refusal = catchThrowableOfType(DiscoveryException.class, () -> backend.register(intruder));
		assertThat(refusal).hasMessageContaining("refused to register instance '" + intruder.id() + "'")
			.hasMessageContaining("Set discovery.consul.token to an ACL token that allows it");
		assertThat(backend.health().error()).contains(refusal.getMessage());
		return refusal;
	}

	private static List<String> connection(String token) {
		return List.of("discovery.consul.host=" + consul.host(), "discovery.consul.port=" + consul.port(),
				"discovery.consul.token=" + token);
	}

}
