package dev.discovery.spring.registry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.discovery.consul.testserver.ConsulAgentExtension;
import dev.discovery.core.DiscoveryClient;
import dev.discovery.core.InstanceStatus;
import dev.discovery.core.ServiceInstance;
import dev.discovery.spring.SelfRegistration;
import dev.discovery.spring.web.GreetingApplication;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.util.TestSocketUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Applications on a real Consul agent with {@code discovery.consul.check.type=http} pass
 * their check wherever Spring Boot serves their health endpoint: behind a context path and a
 * moved actuator base path, and on a management port of its own. The agent polls and the
 * application answers; nothing is stubbed.
 */
class ConsulHttpCheckIT {

	@RegisterExtension
	static final ConsulAgentExtension consul = ConsulAgentExtension.shared();

	private final List<ConfigurableApplicationContext> applications = new ArrayList<>();

	@AfterEach
	void stop() {
		this.applications.forEach(ConfigurableApplicationContext::close);
	}

	@Test
	void passesWithHealthBehindTheContextPathAndAMovedBasePath() throws Exception {
		ConfigurableApplicationContext application = start("http-check-context", "server.servlet.context-path=/api",
				"management.endpoints.web.base-path=/ops");

		awaitPassing(application);
		assertThat(consul.call("GET", "/v1/agent/checks", "")).contains("/api/ops/health: 200");
	}

	@Test
	void passesWithHealthOnAManagementPortOfItsOwn() throws Exception {
		int managementPort = TestSocketUtils.findAvailableTcpPort();
		ConfigurableApplicationContext application = start("http-check-management",
				"management.server.port=" + managementPort, "management.server.base-path=/manage",
				"server.servlet.context-path=/api");

		awaitPassing(application);
		assertThat(consul.call("GET", "/v1/agent/checks", ""))
			.contains("http://127.0.0.1:" + managementPort + "/manage/actuator/health: 200");
	}

	private ConfigurableApplicationContext start(String name, String... settings) {
		List<String> properties = new ArrayList<>(List.of("spring.application.name=" + name, "server.port=0",
				"discovery.backend=consul", "discovery.consul.host=" + consul.host(),
				"discovery.consul.port=" + consul.port(), "discovery.consul.check.type=http",
				"discovery.consul.check.interval=1s", "discovery.instance.host=127.0.0.1"));
		properties.addAll(List.of(settings));
		ConfigurableApplicationContext application = new SpringApplicationBuilder(GreetingApplication.class)
			.properties(properties.toArray(String[]::new))
			.run();
		this.applications.add(application);
		return application;
	}

	private static void awaitPassing(ConfigurableApplicationContext application) {
		ServiceInstance registered = application.getBean(SelfRegistration.class).registration().orElseThrow().instance();
		DiscoveryClient client = application.getBean(DiscoveryClient.class);
		Awaitility.await()
			.atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(client.getAllInstances(registered.service()))
				.extracting(ServiceInstance::id, ServiceInstance::status)
				.containsExactly(tuple(registered.id(), InstanceStatus.UP)));
	}

}
