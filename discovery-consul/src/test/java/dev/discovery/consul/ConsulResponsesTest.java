package dev.discovery.consul;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import dev.discovery.consul.testserver.FakeConsulAgent;
import dev.discovery.consul.testserver.FakeConsulAgent.Damage;
import dev.discovery.core.DiscoveryClient;
import dev.discovery.core.DiscoveryException;
import dev.discovery.core.ServiceInstance;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Answers a real agent does not give, from a {@link FakeConsulAgent}: fields this backend
 * does not know, at every level, are ignored (and closing the watch that read them does not
 * make the agent look unreachable); an answer cut short is a clear error in
 * {@code health()} and in the direct call, never an empty or partial list for watchers and
 * clients, which keep their last good view and catch up once the answers are whole again.
 */
class ConsulResponsesTest {

	private static final String CATALOG = """
			{"consul": [], "orders": ["a", "b"], "future-service": ["x"]}""";

	private static final ServiceInstance FIRST = instance(1, 8080);

	private static final ServiceInstance SECOND = instance(2, 8081);

	private FakeConsulAgent agent;

	private ConsulBackend backend;

	@BeforeEach
	void start() {
		this.agent = FakeConsulAgent.start();
		this.agent.answer(health(FIRST), CATALOG);
		this.backend = ConsulBackend.builder()
			.host("127.0.0.1")
			.port(this.agent.port())
			.requestTimeout(Duration.ofSeconds(2))
			.watchWait(Duration.ofSeconds(5))
			.build();
	}

	@AfterEach
	void stop() {
		this.backend.close();
		this.agent.close();
	}

	@Test
	void unknownFieldsAtEveryLevelAreIgnored() throws Exception {
		assertThat(this.backend.instances("orders")).containsExactly(FIRST);
		assertThat(this.backend.services()).containsExactlyInAnyOrder("consul", "orders", "future-service");
		AtomicReference<List<ServiceInstance>> watched = new AtomicReference<>();
		try (AutoCloseable watch = this.backend.watch("orders", watched::set)) {
			eventually().untilAsserted(() -> assertThat(watched.get()).containsExactly(FIRST));
		}
		eventually().until(() -> Thread.getAllStackTraces()
			.keySet()
			.stream()
			.noneMatch((thread) -> thread.getName().equals("discovery-consul-watch-orders")));
		assertThat(this.backend.health().reachable()).isTrue();
		assertThat(this.backend.health().error()).isNull();
	}

	@ParameterizedTest
	@EnumSource(value = Damage.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
	void answerCutShortIsAClearErrorAndTheLastGoodViewStaysUntilAnswersAreWholeAgain(Damage damage)
			throws Exception {
		List<List<ServiceInstance>> deliveries = new CopyOnWriteArrayList<>();
		try (DiscoveryClient client = new DiscoveryClient(this.backend);
				AutoCloseable watch = this.backend.watch("orders", deliveries::add)) {
			assertThat(client.getInstances("orders")).containsExactly(FIRST);
			eventually().until(() -> deliveries.equals(List.of(List.of(FIRST))));

			this.agent.damage(damage);

			eventually().untilAsserted(
					() -> assertThat(this.backend.health().error()).contains("read the health of service 'orders'"));
			assertThatExceptionOfType(DiscoveryException.class).isThrownBy(() -> this.backend.instances("orders"))
				.withMessageContaining("Consul agent at http://127.0.0.1:" + this.agent.port())
				.withMessageContaining("read the health of service 'orders'");
			assertThatExceptionOfType(DiscoveryException.class).isThrownBy(this.backend::services)
				.withMessageContaining("read the catalog's services");
			assertThat(client.getInstances("orders")).containsExactly(FIRST);
			assertThat(deliveries).containsOnly(List.of(FIRST));

			this.agent.answer(health(FIRST, SECOND), CATALOG);

			eventually().untilAsserted(() -> {
				assertThat(deliveries.get(deliveries.size() - 1)).containsExactlyInAnyOrder(FIRST, SECOND);
				assertThat(client.getInstances("orders")).containsExactlyInAnyOrder(FIRST, SECOND);
			});
			assertThat(this.backend.services()).contains("orders");
			assertThat(this.backend.instances("orders")).containsExactlyInAnyOrder(FIRST, SECOND);
			assertThat(this.backend.health().reachable()).isTrue();
			assertThat(this.backend.health().error()).isNull();
			assertThat(deliveries).containsOnly(List.of(FIRST), List.of(FIRST, SECOND));
		}
	}

	private static ConditionFactory eventually() {
		return Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20));
	}

	private static ServiceInstance instance(int number, int port) {
		return ServiceInstance.builder("orders", "10.0.0." + number, port)
			.id("orders-" + number)
			.zone("z1")
			.weight(7)
			.tag("a")
			.tag("b")
			.metadata("version", "2")
			.build();
	}

	/**
	 * The answer of {@code /v1/health/service/orders}, as a newer agent might give it: every
	 * object carries fields this backend has never heard of.
	 */
	private static String health(ServiceInstance... instances) {
		return Stream.of(instances).map((instance) -> """
				{
				  "Node": {"ID": "40e4a748-2192-161a-0510-9bf59fe950b5", "Node": "node-1", "Address": "10.9.9.9",
				    "Datacenter": "dc1", "TaggedAddresses": {"lan": "10.9.9.9"}, "Meta": {"rack": "r1"},
				    "FutureNodeField": {"nested": [1, 2.5, {"deeper": null}], "flag": true}},
				  "Service": {"ID": "%s", "Service": "orders", "Tags": ["a", "b"], "Address": "%s",
				    "TaggedAddresses": {"lan_ipv4": {"Address": "%2$s", "Port": %d}},
				    "Meta": {"version": "2", "discovery-zone": "z1"}, "Port": %3$d,
				    "Weights": {"Passing": 7, "Warning": 1, "Critical": 0}, "EnableTagOverride": false,
				    "Proxy": {"MeshGateway": {}, "Expose": {}}, "Connect": {}, "Namespace": "default",
				    "Locality": {"Region": "eu", "Zone": "z1"}, "CreateIndex": 12, "ModifyIndex": 14},
				  "Checks": [
				    {"Node": "node-1", "CheckID": "serfHealth", "Name": "Serf Health Status", "Status": "passing",
				      "Notes": "", "Output": "Agent alive and reachable", "ServiceID": "", "Type": "",
				      "ExposedPort": 0, "Definition": {}, "CreateIndex": 1, "ModifyIndex": 1},
				    {"Node": "node-1", "CheckID": "service:%1$s", "Name": "Service 'orders' check",
				      "Status": "passing", "Notes": "", "Output": "", "ServiceID": "%1$s", "Type": "ttl",
				      "FutureCheckField": [{"x": 1}], "Definition": {"TTL": "10s"}}
				  ],
				  "FutureEntryField": {"anything": ["goes", 1, false]}
				}""".formatted(instance.id(), instance.host(), instance.port()))
			.collect(Collectors.joining(",", "[", "]"));
	}

}
