package dev.discovery.spring.autoconfigure;

import java.util.List;

import dev.discovery.consul.ConsulBackend;
import dev.discovery.core.DiscoveryClient;
import dev.discovery.etcd.EtcdBackend;
import dev.discovery.spring.DiscoveryEndpoint;
import dev.discovery.spring.DiscoveryHealthIndicator;
import dev.discovery.spring.DiscoveryMetrics;
import dev.discovery.spring.LoadBalanced;
import dev.discovery.spring.LoadBalancerInterceptor;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.client.RestClient;

import static dev.discovery.spring.autoconfigure.BuilderContents.interceptorsOf;
import static org.assertj.core.api.Assertions.assertThat;

class ActuatorAndClientAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DiscoveryAutoConfiguration.class,
				DiscoveryHealthAutoConfiguration.class, DiscoveryEndpointAutoConfiguration.class,
				DiscoveryMetricsAutoConfiguration.class, LoadBalancedRestClientAutoConfiguration.class))
		.withClassLoader(new FilteredClassLoader(EtcdBackend.class, ConsulBackend.class))
		.withPropertyValues("spring.application.name=orders");

	@Test
	void healthIndicatorIsContributedAndCanBeDisabled() {
		this.runner.run((context) -> assertThat(context).hasSingleBean(DiscoveryHealthIndicator.class)
			.hasBean("discoveryHealthIndicator"));
		this.runner.withPropertyValues("management.health.discovery.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(DiscoveryHealthIndicator.class));
	}

	@Test
	void actuatorBeansNeedDiscovery() {
		this.runner.withPropertyValues("discovery.enabled=false", "management.endpoints.web.exposure.include=discovery")
			.withUserConfiguration(MeterRegistryConfiguration.class)
			.run((context) -> assertThat(context).doesNotHaveBean(DiscoveryHealthIndicator.class)
				.doesNotHaveBean(DiscoveryEndpoint.class)
				.doesNotHaveBean(DiscoveryMetrics.class)
				.doesNotHaveBean(LoadBalancerInterceptor.class));
	}

	@Test
	void endpointIsAvailableOnlyWhenExposed() {
		this.runner.run((context) -> assertThat(context).doesNotHaveBean(DiscoveryEndpoint.class));
		this.runner.withPropertyValues("management.endpoints.web.exposure.include=discovery")
			.run((context) -> assertThat(context).hasSingleBean(DiscoveryEndpoint.class));
	}

	@Test
	void secretDiscoveryPropertiesAreMaskedInEveryFormOfTheirName() {
		this.runner.run((context) -> {
			SanitizingFunction masking = context.getBean(SanitizingFunction.class);
			assertThat(List.of("discovery.etcd.password", "DISCOVERY_ETCD_PASSWORD", "discovery.consul.token",
					"DISCOVERY_CONSUL_TOKEN", "discovery.instance.metadata.api-key",
					"DISCOVERY_INSTANCE_METADATA_DB_SECRET"))
				.allSatisfy((name) -> assertThat(masking.applyUnlessFiltered(new SanitizableData(null, name, "s3cret"))
					.getValue()).as(name).isEqualTo(SanitizableData.SANITIZED_VALUE));
			assertThat(List.of("discovery.etcd.username", "discovery.consul.host", "discovery.instance.metadata.zone",
					"spring.datasource.password"))
				.allSatisfy((name) -> assertThat(masking.applyUnlessFiltered(new SanitizableData(null, name, "s3cret"))
					.getValue()).as(name).isEqualTo("s3cret"));
		});
	}

	@Test
	void metricsNeedAMeterRegistry() {
		this.runner.run((context) -> assertThat(context).doesNotHaveBean(DiscoveryMetrics.class));
		this.runner.withClassLoader(new FilteredClassLoader(MeterRegistry.class, EtcdBackend.class, ConsulBackend.class))
			.withUserConfiguration(MeterRegistryConfiguration.class)
			.run((context) -> assertThat(context).doesNotHaveBean(DiscoveryMetrics.class));
	}

	@Test
	void metricsCountChoicesInstancesAndEvents() {
		this.runner.withUserConfiguration(MeterRegistryConfiguration.class)
			.withPropertyValues("spring.application.name=metered", "discovery.instance.port=9100",
					"discovery.instance.host=127.0.0.1")
			.run((context) -> {
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				DiscoveryClient client = context.getBean(DiscoveryClient.class);

				assertThat(client.choose("metered")).isEmpty();
				context.getBean(dev.discovery.spring.SelfRegistration.class)
					.setStatus(dev.discovery.core.InstanceStatus.UP);
				org.awaitility.Awaitility.await().until(() -> client.choose("metered").isPresent());

				assertThat(registry.get("discovery.choices").tags("service", "metered", "strategy", "round-robin")
					.counter()
					.count()).isGreaterThanOrEqualTo(2);
				assertThat(registry.get("discovery.instances").tags("service", "metered", "status", "UP").gauge().value())
					.isEqualTo(1);
				assertThat(registry.get("discovery.watch.events").tags("service", "metered", "type", "STATUS_CHANGED")
					.counter()
					.count()).isEqualTo(1);
				assertThat(registry.get("discovery.registration.state").tags("state", "REGISTERED").gauge().value())
					.isEqualTo(1);
				assertThat(registry.get("discovery.backend.errors").tags("backend", "inmemory").functionCounter().count())
					.isZero();
			});
	}

	@Test
	void loadBalancedBuilderIsProvided() {
		this.runner.run((context) -> {
			RestClient.Builder builder = context.getBean("discoveryLoadBalancedRestClientBuilder", RestClient.Builder.class);
			assertThat(interceptorsOf(builder)).containsExactly(context.getBean(LoadBalancerInterceptor.class));
			assertThat(builder).isNotSameAs(context.getBean("discoveryLoadBalancedRestClientBuilder", RestClient.Builder.class));
		});
	}

	@Test
	void loadBalancedBuilderIsProvidedWithoutSpringBootRestClient() {
		this.runner
			.withClassLoader(new FilteredClassLoader(EtcdBackend.class, ConsulBackend.class,
					org.springframework.boot.restclient.RestClientCustomizer.class))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBeanFactory().getBeanDefinition("discoveryLoadBalancedRestClientBuilder").getFactoryBeanName())
					.endsWith("LoadBalancedRestClientAutoConfiguration");
				RestClient.Builder builder = context.getBean("discoveryLoadBalancedRestClientBuilder", RestClient.Builder.class);
				assertThat(interceptorsOf(builder)).containsExactly(context.getBean(LoadBalancerInterceptor.class));
			});
	}

	@Test
	void userBuildersDeclaredLoadBalancedAreBalancedAndReplaceTheStartersOne() {
		this.runner.withUserConfiguration(UserBuilders.class).run((context) -> {
			LoadBalancerInterceptor interceptor = context.getBean(LoadBalancerInterceptor.class);
			assertThat(context.getBeanNamesForType(RestClient.Builder.class)).containsOnly("userLoadBalanced", "userPlain");
			assertThat(interceptorsOf(context.getBean("userLoadBalanced", RestClient.Builder.class)))
				.containsExactly(interceptor);
			assertThat(interceptorsOf(context.getBean("userPlain", RestClient.Builder.class))).isEmpty();
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class MeterRegistryConfiguration {

		@Bean
		MeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserBuilders {

		@Bean
		@LoadBalanced
		RestClient.Builder userLoadBalanced() {
			return RestClient.builder();
		}

		@Bean
		RestClient.Builder userPlain() {
			return RestClient.builder();
		}

	}

}
