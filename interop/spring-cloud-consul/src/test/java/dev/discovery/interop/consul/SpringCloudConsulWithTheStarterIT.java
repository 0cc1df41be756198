package dev.discovery.interop.consul;

import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

import dev.discovery.consul.testserver.ConsulAgentExtension;
import dev.discovery.core.DiscoveryClient;
import dev.discovery.core.ServiceInstance;
import dev.discovery.spring.LoadBalanced;
import dev.discovery.spring.SelfRegistration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.cloud.client.serviceregistry.ServiceRegistry;
import org.springframework.cloud.consul.serviceregistry.ConsulServiceRegistry;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.client.RestClient;

import static dev.discovery.interop.consul.Applications.join;
import static dev.discovery.interop.consul.Applications.port;
import static dev.discovery.interop.consul.Applications.whoAnswers;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * One application with Spring Cloud Consul, the starter and the Spring Cloud bridge on a
 * real Consul agent: Spring Cloud's auto-registration registers it, once; the starter says
 * so and does not register; Spring Cloud's {@code serviceregistry} endpoint works on
 * Spring Cloud Consul's registry alone; and both Spring Cloud's clients and ours find it
 * and call it by name. With Spring Cloud's auto-registration switched off, the starter
 * registers it instead, also once.
 */
@ExtendWith(OutputCaptureExtension.class)
class SpringCloudConsulWithTheStarterIT {

	private static final String SERVICE = "both";

	@RegisterExtension
	static final ConsulAgentExtension consul = ConsulAgentExtension.shared();

	@Test
	void springCloudRegistersItOnceAndBothClientsCallItByName(CapturedOutput output) throws Exception {
		try (ConfigurableApplicationContext application = Applications.start(SpringCloudConsulApplication.class,
				join(List.of("spring.application.name=" + SERVICE,
						"management.endpoints.web.exposure.include=health,serviceregistry"),
						Applications.springCloudConsul(consul), Applications.discovery(consul)))) {
			int port = port(application);

			assertThat(output).containsOnlyOnce(
					"Spring Cloud's ConsulAutoServiceRegistration registers this application; discovery's self-registration is off")
				.doesNotContain("Registered " + SERVICE);
			assertThat(application.getBeanNamesForType(SelfRegistration.class)).isEmpty();
			assertThat(application.getBeansOfType(ServiceRegistry.class).values()).singleElement()
				.isInstanceOf(ConsulServiceRegistry.class);
			assertThat(registrationsOnTheAgent(SERVICE)).isOne();

			DiscoveryClient ours = application.getBean(DiscoveryClient.class);
			Awaitility.await()
				.atMost(Duration.ofSeconds(30))
				.untilAsserted(() -> assertThat(ours.getInstances(SERVICE)).extracting(ServiceInstance::port)
					.containsExactly(port));
			assertThat(application.getBean(org.springframework.cloud.client.discovery.DiscoveryClient.class)
				.getInstances(SERVICE)).extracting((instance) -> instance.getPort()).containsExactly(port);
			String answer = WhoAmI.answer(port, "http");
			assertThat(whoAnswers(application, org.springframework.cloud.client.loadbalancer.LoadBalanced.class, SERVICE))
				.containsExactly(answer);
			assertThat(whoAnswers(application, LoadBalanced.class, SERVICE)).containsExactly(answer);

			assertThat(RestClient.create("http://127.0.0.1:" + port)
				.get()
				.uri("/actuator/serviceregistry")
				.retrieve()
				.body(String.class)).contains("UP");
		}
	}

	@Test
	void withSpringCloudsAutoRegistrationSwitchedOffTheStarterRegistersItOnce(CapturedOutput output)
			throws Exception {
		String service = "switched";
		try (ConfigurableApplicationContext application = Applications.start(SpringCloudConsulApplication.class,
				join(List.of("spring.application.name=" + service,
						"spring.cloud.service-registry.auto-registration.enabled=false",
						"management.endpoints.web.exposure.include=health,serviceregistry"),
						Applications.springCloudConsul(consul), Applications.discovery(consul)))) {
			int port = port(application);

			assertThat(output).contains("Registered " + service).doesNotContain("registers this application");
			assertThat(application.getBeanNamesForType(SelfRegistration.class)).hasSize(1);
			assertThat(application.getBeansOfType(ServiceRegistry.class).values()).singleElement()
				.isInstanceOf(ConsulServiceRegistry.class);
			assertThat(registrationsOnTheAgent(service)).isOne();
			Awaitility.await()
				.atMost(Duration.ofSeconds(30))
				.untilAsserted(() -> assertThat(whoAnswers(application,
						org.springframework.cloud.client.loadbalancer.LoadBalanced.class, service))
					.containsExactly(WhoAmI.answer(port, "http")));
		}
	}

	private static long registrationsOnTheAgent(String service) throws Exception {
		Pattern registered = Pattern.compile("\"Service\"\\s*:\\s*\"" + Pattern.quote(service) + "\"");
		return registered.matcher(consul.call("GET", "/v1/agent/services", "")).results().count();
	}

}
