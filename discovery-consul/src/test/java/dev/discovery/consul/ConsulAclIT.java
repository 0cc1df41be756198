package dev.discovery.consul;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.discovery.consul.testserver.ConsulAgentExtension;
import dev.discovery.core.BackendHealth;
import dev.discovery.core.DiscoveryClient;
import dev.discovery.core.DiscoveryException;
import dev.discovery.core.Registration;
import dev.discovery.core.ServiceInstance;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * An agent with ACLs enabled and default policy deny: the right token registers and
 * discovers; a missing or wrong one fails loudly, naming the token setting, and nothing
 * reports UP; a token that may register one service only is refused any other name, and
 * health reports it.
 */
class ConsulAclIT {

	@RegisterExtension
	static final ConsulAgentExtension consul = ConsulAgentExtension.withAcl();

	private static String token = "";

	@BeforeAll
	static void createToken() throws Exception {
		token = consul.createToken(ConsulAgentExtension.REGISTER_AND_DISCOVER_RULES);
	}

	@Test
	void rightTokenRegistersAndDiscovers() {
		try (ConsulBackend owner = consul.backend().token(token).ttl(Duration.ofSeconds(3)).build();
				ConsulBackend observer = consul.backend().token(token).build();
				DiscoveryClient client = new DiscoveryClient(observer)) {
			ServiceInstance instance = ServiceInstance.builder("acl-orders", "127.0.0.1", 7701).build();
			owner.register(instance);

			Awaitility.await()
				.atMost(Duration.ofSeconds(5))
				.until(() -> client.getInstances("acl-orders").equals(List.of(instance)));
			assertThat(observer.services()).contains("acl-orders");
			assertThat(owner.health().error()).isNull();
		}
	}

	@Test
	void tokenForOneServiceIsRefusedAnotherNameAndHealthReportsIt() throws Exception {
		String ordersOnly = consul.createToken(ConsulAgentExtension.registerOnlyRules("acl-orders"));
		try (ConsulBackend backend = consul.backend().token(ordersOnly).build()) {
			Registration orders = backend.register(ServiceInstance.builder("acl-orders", "127.0.0.1", 7711).build());
			ServiceInstance payments = ServiceInstance.builder("acl-payments", "127.0.0.1", 7712).build();

			assertThatExceptionOfType(DiscoveryException.class).isThrownBy(() -> backend.register(payments))
				.withMessage("Consul agent at http://" + consul.host() + ":" + consul.port() + " refused to register"
						+ " instance '" + payments.id() + "' of service 'acl-payments' (HTTP 403: Permission denied: Missing service:write on acl-payments)."
						+ " Set discovery.consul.token to an ACL token that allows it (the configured token does not)");

			BackendHealth health = backend.health();
			assertThat(health.reachable()).isTrue();
			assertThat(health.error()).contains("refused to register instance '" + payments.id() + "'",
					"discovery.consul.token");
			assertThat(health.details()).containsEntry("registrations",
					Map.of("acl-orders/" + orders.instance().id(), "REGISTERED"));
			assertThat(health + backend.toString()).doesNotContain(ordersOnly);
			Awaitility.await()
				.atMost(Duration.ofSeconds(5))
				.until(() -> backend.instances("acl-orders").equals(List.of(orders.instance())));
			assertThat(backend.instances("acl-payments")).isEmpty();
			assertThat(consul.call("GET", "/v1/agent/services", "")).contains(orders.instance().id())
				.doesNotContain(payments.id());
		}
	}

	@Test
	void missingTokenFailsNamingTheTokenPropertyAndNothingIsUp() {
		try (ConsulBackend anonymous = consul.backend().build();
				ConsulBackend observer = consul.backend().token(token).build()) {
			ServiceInstance instance = ServiceInstance.builder("acl-missing", "127.0.0.1", 7702).build();

			assertThatExceptionOfType(DiscoveryException.class).isThrownBy(() -> anonymous.register(instance))
				.withMessageContaining("discovery.consul.token")
				.withMessageContaining("403")
				.withMessageContaining("no token is configured");

			assertThat(anonymous.health().error()).contains("discovery.consul.token");
			assertThat(anonymous.health().details()).extractingByKey("errors").isEqualTo(1L);
			assertThat(observer.instances("acl-missing")).isEmpty();
		}
	}

	@Test
	void wrongTokenFailsNamingTheTokenPropertyWithoutShowingIt() {
		String wrong = UUID.randomUUID().toString();
		try (ConsulBackend intruder = consul.backend().token(wrong).build();
				ConsulBackend observer = consul.backend().token(token).build()) {
			ServiceInstance instance = ServiceInstance.builder("acl-wrong", "127.0.0.1", 7703).build();

			assertThatExceptionOfType(DiscoveryException.class).isThrownBy(() -> intruder.register(instance))
				.withMessageContaining("discovery.consul.token")
				.withMessageNotContaining(wrong);
			assertThatExceptionOfType(DiscoveryException.class).isThrownBy(() -> intruder.instances("acl-wrong"))
				.withMessageContaining("discovery.consul.token");

			assertThat(intruder.health().error()).contains("discovery.consul.token").doesNotContain(wrong);
			assertThat(intruder.health().toString() + intruder).doesNotContain(wrong);
			assertThat(observer.instances("acl-wrong")).isEmpty();
		}
	}

}
