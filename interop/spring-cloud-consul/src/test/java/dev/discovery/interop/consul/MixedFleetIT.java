package dev.discovery.interop.consul;

import java.lang.annotation.Annotation;
import java.time.Duration;
import java.util.List;

import dev.discovery.consul.testserver.ConsulAgentExtension;
import dev.discovery.core.DiscoveryClient;
import dev.discovery.core.ServiceInstance;
import dev.discovery.spring.LoadBalanced;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.context.ConfigurableApplicationContext;

import static dev.discovery.interop.consul.Applications.join;
import static dev.discovery.interop.consul.Applications.port;
import static dev.discovery.interop.consul.Applications.whoAnswers;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Two Spring Cloud Consul instances and two of ours on one real Consul agent, one of
 * each in zone {@code east} over http and one in zone {@code west} over https with a
 * self-signed certificate, each with its own weight. Each side sees the other's zone,
 * secure flag and weight, prefers instances of its own zone and calls the https ones over
 * https. Spring Cloud's side is configured in properties only, as its users do
 * ({@code instance-zone} on one instance, {@code metadata.zone} on the other,
 * {@code scheme=https}, {@code metadata.weight},
 * {@code spring.cloud.loadbalancer.configurations=zone-preference}); the starter, on the
 * class path of all four, is off in Spring Cloud's ({@code discovery.enabled=false}), and
 * Spring Cloud Consul is off in ours ({@code spring.cloud.consul.enabled=false}).
 */
class MixedFleetIT {

	private static final String SPRING_CLOUD = "sc-greeter";

	private static final String OURS = "our-greeter";

	private static final Class<? extends Annotation> SPRING_CLOUDS_LOAD_BALANCED = org.springframework.cloud.client.loadbalancer.LoadBalanced.class;

	private static final Duration DEADLINE = Duration.ofSeconds(30);

	@RegisterExtension
	static final ConsulAgentExtension consul = ConsulAgentExtension.shared();

	private static ConfigurableApplicationContext springCloudEast;

	private static ConfigurableApplicationContext springCloudWest;

	private static ConfigurableApplicationContext oursEast;

	private static ConfigurableApplicationContext oursWest;

	@BeforeAll
	static void startFleetAndAwaitEachSideSeeingTheOther() {
		springCloudEast = springCloud("east", 3, List.of("spring.cloud.consul.discovery.instance-zone=east"));
		springCloudWest = springCloud("west", 7,
				List.of("spring.cloud.consul.discovery.metadata.zone=west", "spring.cloud.consul.discovery.scheme=https",
						"spring.cloud.consul.discovery.health-check-tls-skip-verify=true", "server.ssl.bundle=peers"));
		oursEast = ours("east", 2, List.of());
		oursWest = ours("west", 5, List.of("server.ssl.bundle=peers"));
		for (ConfigurableApplicationContext application : List.of(springCloudEast, springCloudWest)) {
			Awaitility.await()
				.atMost(DEADLINE)
				.untilAsserted(() -> assertThat(springCloudClient(application).getInstances(OURS)).hasSize(2));
		}
		for (ConfigurableApplicationContext application : List.of(oursEast, oursWest)) {
			Awaitility.await()
				.atMost(DEADLINE)
				.untilAsserted(() -> assertThat(application.getBean(DiscoveryClient.class).getInstances(SPRING_CLOUD))
					.hasSize(2));
		}
	}

	@AfterAll
	static void stopFleet() {
		for (ConfigurableApplicationContext application : new ConfigurableApplicationContext[] { springCloudEast,
				springCloudWest, oursEast, oursWest }) {
			if (application != null) {
				application.close();
			}
		}
	}

	@Test
	void springCloudSeesOurZoneSecureFlagAndWeight() {
		for (ConfigurableApplicationContext application : List.of(springCloudEast, springCloudWest)) {
			assertThat(springCloudClient(application).getInstances(OURS))
				.extracting((instance) -> instance.getPort(), (instance) -> instance.getMetadata().get("zone"),
						(instance) -> instance.isSecure(), (instance) -> instance.getMetadata().get("weight"))
				.containsExactlyInAnyOrder(tuple(port(oursEast), "east", false, "2"),
						tuple(port(oursWest), "west", true, "5"));
		}
	}

	@Test
	void weSeeSpringCloudsZoneSecureFlagAndWeight() {
		for (ConfigurableApplicationContext application : List.of(oursEast, oursWest)) {
			assertThat(application.getBean(DiscoveryClient.class).getInstances(SPRING_CLOUD))
				.extracting(ServiceInstance::port, ServiceInstance::zone, ServiceInstance::secure, ServiceInstance::weight)
				.containsExactlyInAnyOrder(tuple(port(springCloudEast), "east", false, 3),
						tuple(port(springCloudWest), "west", true, 7));
		}
	}

	@Test
	void springCloudPrefersItsZoneAndCallsOurHttpsInstanceOverHttps() {
		assertThat(whoAnswers(springCloudEast, SPRING_CLOUDS_LOAD_BALANCED, OURS))
			.containsExactly(WhoAmI.answer(port(oursEast), "http"));
		assertThat(whoAnswers(springCloudWest, SPRING_CLOUDS_LOAD_BALANCED, OURS))
			.containsExactly(WhoAmI.answer(port(oursWest), "https"));
	}

	@Test
	void wePreferOurZoneAndCallSpringCloudsHttpsInstanceOverHttps() {
		assertThat(whoAnswers(oursEast, LoadBalanced.class, SPRING_CLOUD))
			.containsExactly(WhoAmI.answer(port(springCloudEast), "http"));
		assertThat(whoAnswers(oursWest, LoadBalanced.class, SPRING_CLOUD))
			.containsExactly(WhoAmI.answer(port(springCloudWest), "https"));
	}

	private static ConfigurableApplicationContext springCloud(String zone, int weight, List<String> own) {
		return Applications.start(SpringCloudConsulApplication.class,
				join(List.of("spring.application.name=" + SPRING_CLOUD, "discovery.enabled=false",
						"spring.cloud.consul.discovery.instance-id=" + SPRING_CLOUD + "-" + zone,
						"spring.cloud.consul.discovery.metadata.weight=" + weight,
						"spring.cloud.loadbalancer.configurations=zone-preference", "spring.cloud.loadbalancer.zone=" + zone),
						Applications.springCloudConsul(consul), own));
	}

	private static ConfigurableApplicationContext ours(String zone, int weight, List<String> own) {
		return Applications.start(DiscoveryApplication.class,
				join(List.of("spring.application.name=" + OURS, "spring.cloud.consul.enabled=false",
						"discovery.instance.zone=" + zone, "discovery.instance.weight=" + weight,
						"discovery.load-balancer.strategy=weighted", "spring.http.clients.ssl.bundle=peers"),
						Applications.discovery(consul), own));
	}

	private static org.springframework.cloud.client.discovery.DiscoveryClient springCloudClient(
			ConfigurableApplicationContext application) {
		return application.getBean(org.springframework.cloud.client.discovery.DiscoveryClient.class);
	}

}
