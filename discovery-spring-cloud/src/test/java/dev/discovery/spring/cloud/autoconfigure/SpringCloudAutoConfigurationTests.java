package dev.discovery.spring.cloud.autoconfigure;

import java.util.List;
import java.util.Set;

import dev.discovery.core.InstanceStatus;
import dev.discovery.spring.SelfRegistration;
import dev.discovery.spring.autoconfigure.DiscoveryAutoConfiguration;
import dev.discovery.spring.cloud.ChangeHeartbeats;
import dev.discovery.spring.cloud.CloudRegistration;
import dev.discovery.spring.cloud.CloudServiceRegistry;
import dev.discovery.spring.cloud.SpringCloudDiscoveryClient;
import dev.discovery.spring.cloud.SpringCloudReactiveDiscoveryClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.cloud.client.CommonsClientAutoConfiguration;
import org.springframework.cloud.client.ReactiveCommonsClientAutoConfiguration;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.cloud.client.discovery.ReactiveDiscoveryClient;
import org.springframework.cloud.client.discovery.composite.CompositeDiscoveryClient;
import org.springframework.cloud.client.discovery.composite.CompositeDiscoveryClientAutoConfiguration;
import org.springframework.cloud.client.discovery.composite.reactive.ReactiveCompositeDiscoveryClient;
import org.springframework.cloud.client.discovery.composite.reactive.ReactiveCompositeDiscoveryClientAutoConfiguration;
import org.springframework.cloud.client.discovery.simple.SimpleDiscoveryClientAutoConfiguration;
import org.springframework.cloud.client.discovery.simple.reactive.SimpleReactiveDiscoveryClientAutoConfiguration;
import org.springframework.cloud.client.loadbalancer.LoadBalancerAutoConfiguration;
import org.springframework.cloud.client.serviceregistry.AutoServiceRegistration;
import org.springframework.cloud.client.serviceregistry.ServiceRegistry;
import org.springframework.cloud.client.serviceregistry.ServiceRegistryAutoConfiguration;
import org.springframework.cloud.client.serviceregistry.endpoint.ServiceRegistryEndpoint;
import org.springframework.cloud.commons.util.UtilAutoConfiguration;
import org.springframework.cloud.loadbalancer.config.BlockingLoadBalancerClientAutoConfiguration;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.support.LoadBalancerClientFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.mockito.Mockito.mock;

@ExtendWith(OutputCaptureExtension.class)
class SpringCloudAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DiscoveryAutoConfiguration.class,
				SpringCloudDiscoveryAutoConfiguration.class, SpringCloudLoadBalancerAutoConfiguration.class,
				SpringCloudServiceRegistryAutoConfiguration.class, SimpleDiscoveryClientAutoConfiguration.class,
				SimpleReactiveDiscoveryClientAutoConfiguration.class, CompositeDiscoveryClientAutoConfiguration.class,
				ReactiveCompositeDiscoveryClientAutoConfiguration.class, CommonsClientAutoConfiguration.class,
				ReactiveCommonsClientAutoConfiguration.class, ServiceRegistryAutoConfiguration.class,
				LoadBalancerAutoConfiguration.class,
				org.springframework.cloud.loadbalancer.config.LoadBalancerAutoConfiguration.class,
				BlockingLoadBalancerClientAutoConfiguration.class, UtilAutoConfiguration.class))
		.withPropertyValues("spring.application.name=orders", "discovery.backend=inmemory",
				"discovery.instance.port=8080", "management.endpoints.access.default=UNRESTRICTED",
				"management.endpoints.web.exposure.include=serviceregistry");

	@Test
	void springCloudSeesOurClientsThroughItsComposites() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(SpringCloudDiscoveryClient.class)
				.hasSingleBean(SpringCloudReactiveDiscoveryClient.class)
				.hasSingleBean(ChangeHeartbeats.class);
			assertThat(context.getBean(CompositeDiscoveryClient.class).getDiscoveryClients())
				.anyMatch(SpringCloudDiscoveryClient.class::isInstance);
			assertThat(context.getBean(ReactiveCompositeDiscoveryClient.class).getDiscoveryClients())
				.anyMatch(SpringCloudReactiveDiscoveryClient.class::isInstance);
			context.getBean(SelfRegistration.class).setStatus(InstanceStatus.UP);
			assertThat(context.getBean(DiscoveryClient.class).getInstances("orders")).singleElement()
				.satisfies((instance) -> assertThat(instance.getPort()).isEqualTo(8080));
		});
	}

	@Test
	void everyLoadBalancerClientGetsOurSupplierAndBalancer() {
		this.runner.run((context) -> {
			LoadBalancerClientFactory factory = context.getBean(LoadBalancerClientFactory.class);
			assertThat(factory.getInstance("payments", ServiceInstanceListSupplier.class))
				.isInstanceOf(dev.discovery.spring.cloud.WatchedInstanceListSupplier.class);
			assertThat(factory.getInstance("payments"))
				.isInstanceOf(dev.discovery.spring.cloud.BalancingPolicyLoadBalancer.class);
			assertThat(factory.getInstance("payments", ServiceInstanceListSupplier.class).getServiceId())
				.isEqualTo("payments");
		});
	}

	@Test
	void springCloudDefaultsApplyWhenOurLoadBalancerIsSwitchedOff() {
		this.runner.withPropertyValues("discovery.spring-cloud.load-balancer.enabled=false").run((context) -> {
			Object balancer = context.getBean(LoadBalancerClientFactory.class).getInstance("payments");
			assertThat(balancer).isInstanceOf(org.springframework.cloud.loadbalancer.core.RoundRobinLoadBalancer.class);
			assertThat(context).hasSingleBean(SpringCloudDiscoveryClient.class);
		});
	}

	@Test
	void withDiscoveryOffSpringCloudKeepsItsOwnDefaults() {
		this.runner.withPropertyValues("discovery.enabled=false").run((context) -> {
			Object balancer = context.getBean(LoadBalancerClientFactory.class).getInstance("payments");
			assertThat(balancer).isInstanceOf(org.springframework.cloud.loadbalancer.core.RoundRobinLoadBalancer.class);
			assertThat(context).doesNotHaveBean(SpringCloudDiscoveryClient.class)
				.doesNotHaveBean(CloudServiceRegistry.class);
		});
	}

	@Test
	void springCloudSwitchesTurnTheClientsOff() {
		this.runner.withPropertyValues("spring.cloud.discovery.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(SpringCloudDiscoveryClient.class)
				.doesNotHaveBean(SpringCloudReactiveDiscoveryClient.class)
				.doesNotHaveBean(ChangeHeartbeats.class));
		this.runner.withPropertyValues("spring.cloud.discovery.blocking.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(SpringCloudDiscoveryClient.class)
				.hasSingleBean(SpringCloudReactiveDiscoveryClient.class));
		this.runner.withPropertyValues("spring.cloud.discovery.reactive.enabled=false")
			.run((context) -> assertThat(context).hasSingleBean(SpringCloudDiscoveryClient.class)
				.doesNotHaveBean(SpringCloudReactiveDiscoveryClient.class));
	}

	@Test
	void ourBeanNamesAreNotSpringCloudBeanNames() {
		this.runner.run((context) -> {
			Set<String> ours = Set.of(context.getBeanNamesForType(SpringCloudDiscoveryClient.class)[0],
					context.getBeanNamesForType(SpringCloudReactiveDiscoveryClient.class)[0],
					context.getBeanNamesForType(CloudServiceRegistry.class)[0],
					context.getBeanNamesForType(CloudRegistration.class)[0],
					context.getBeanNamesForType(ChangeHeartbeats.class)[0]);
			assertThat(ours).allMatch((name) -> name.startsWith("discovery"));
		});
	}

	@Test
	void serviceRegistryEndpointReadsAndSetsOurRegistrationWithoutRegisteringTwice() {
		this.runner.run((context) -> {
			ServiceRegistryEndpoint endpoint = context.getBean(ServiceRegistryEndpoint.class);
			SelfRegistration selfRegistration = context.getBean(SelfRegistration.class);
			dev.discovery.core.DiscoveryClient client = context.getBean(dev.discovery.core.DiscoveryClient.class);
			CloudRegistration registration = context.getBean(CloudRegistration.class);
			CloudServiceRegistry registry = context.getBean(CloudServiceRegistry.class);

			registry.register(registration);
			assertThat(client.getAllInstances("orders")).hasSize(1);
			assertThat(registration.getServiceId()).isEqualTo("orders");
			assertThat(registration.getPort()).isEqualTo(8080);

			WebEndpointResponse<?> set = endpoint.setStatus("out_of_service");
			assertThat(set.getStatus()).isEqualTo(200);
			assertThat(selfRegistration.registration().orElseThrow().instance().status())
				.isEqualTo(InstanceStatus.OUT_OF_SERVICE);
			assertThat(endpoint.getStatus().getBody()).isEqualTo("OUT_OF_SERVICE");
			assertThatIllegalArgumentException().isThrownBy(() -> registry.setStatus(registration, "PAUSED"))
				.withMessageContaining("'PAUSED'")
				.withMessageContaining("OUT_OF_SERVICE");
			assertThat(List.of(selfRegistration.registration().orElseThrow().instance().status()))
				.containsExactly(InstanceStatus.OUT_OF_SERVICE);
		});
	}

	@Test
	void springCloudsAutoRegistrationRegistersAndOursBacksOffSayingSo(CapturedOutput output) {
		this.runner.withUserConfiguration(OtherRegistrar.class).run((context) -> {
			assertThat(context).hasNotFailed()
				.doesNotHaveBean(SelfRegistration.class)
				.doesNotHaveBean(CloudServiceRegistry.class)
				.doesNotHaveBean(CloudRegistration.class)
				.hasSingleBean(ServiceRegistryEndpoint.class);
			assertThat(output).containsOnlyOnce("Spring Cloud's OtherAutoServiceRegistration registers this application");
		});
	}

	@Test
	void withSpringCloudConsulsRegisterOffOursRegisters(CapturedOutput output) {
		this.runner.withUserConfiguration(OtherRegistrar.class)
			.withPropertyValues("spring.cloud.consul.discovery.register=false")
			.run((context) -> {
				assertThat(context).hasSingleBean(SelfRegistration.class);
				assertThat(output).doesNotContain("registers this application");
			});
	}

	@Test
	void anotherServiceRegistryMakesOursBackOffSoTheEndpointFindsOne() {
		this.runner.withBean("otherServiceRegistry", ServiceRegistry.class, () -> mock(ServiceRegistry.class))
			.run((context) -> assertThat(context).hasSingleBean(SelfRegistration.class)
				.hasSingleBean(ServiceRegistry.class)
				.doesNotHaveBean(CloudRegistration.class)
				.hasSingleBean(ServiceRegistryEndpoint.class));
	}

	@Test
	void noServiceRegistryWithoutOurRegistration() {
		this.runner.withPropertyValues("discovery.registration.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(CloudServiceRegistry.class)
				.doesNotHaveBean(CloudRegistration.class));
	}

	@Configuration(proxyBeanMethods = false)
	static class OtherRegistrar {

		@Bean
		OtherAutoServiceRegistration otherAutoServiceRegistration() {
			return new OtherAutoServiceRegistration();
		}

		@Bean
		ServiceRegistry<?> otherServiceRegistry() {
			return mock(ServiceRegistry.class);
		}

	}

	static class OtherAutoServiceRegistration implements AutoServiceRegistration {

	}

}
