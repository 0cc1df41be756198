package dev.discovery.spring.autoconfigure;

import dev.discovery.consul.ConsulBackend;
import dev.discovery.etcd.EtcdBackend;
import dev.discovery.spring.LoadBalanced;
import dev.discovery.spring.LoadBalancerExchangeFilterFunction;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.http.client.autoconfigure.service.HttpServiceClientPropertiesAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.loadbalancer.core.ReactorLoadBalancer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.service.registry.HttpServiceGroupConfigurer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What counts as Spring Cloud LoadBalancer being active, with it on the classpath.
 */
@Tag("spring-cloud-loadbalancer")
class SpringCloudLoadBalancerConditionTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DiscoveryAutoConfiguration.class,
				HttpServiceClientPropertiesAutoConfiguration.class, LoadBalancedRestClientAutoConfiguration.class,
				LoadBalancedWebClientAutoConfiguration.class))
		.withClassLoader(new FilteredClassLoader(EtcdBackend.class, ConsulBackend.class))
		.withUserConfiguration(BothAnnotations.class)
		.withPropertyValues("spring.application.name=orders");

	@Test
	void groupsAndBuildersWithBothAnnotationsAreLeftToSpringCloudLoadBalancer() {
		this.runner.run((context) -> {
			assertThat(context).doesNotHaveBean(HttpServiceGroupConfigurer.class);
			assertThat(BuilderContents.filtersOf(context.getBean("both", WebClient.Builder.class))).isEmpty();
		});
	}

	@Test
	void disabledSpringCloudLoadBalancerLeavesThemToTheStarter() {
		this.runner.withPropertyValues("spring.cloud.loadbalancer.enabled=false").run(this::balancedByTheStarter);
	}

	@Test
	void springCloudCommonsWithoutSpringCloudLoadBalancerLeavesThemToTheStarter() {
		this.runner
			.withClassLoader(new FilteredClassLoader(EtcdBackend.class, ConsulBackend.class, ReactorLoadBalancer.class))
			.run(this::balancedByTheStarter);
	}

	private void balancedByTheStarter(AssertableApplicationContext context) {
		assertThat(context.getBeanNamesForType(HttpServiceGroupConfigurer.class)).containsExactlyInAnyOrder(
				"discoveryRestClientHttpServiceGroupConfigurer", "discoveryWebClientHttpServiceGroupConfigurer");
		assertThat(BuilderContents.filtersOf(context.getBean("both", WebClient.Builder.class)))
			.containsExactly(context.getBean(LoadBalancerExchangeFilterFunction.class));
	}

	@Configuration(proxyBeanMethods = false)
	static class BothAnnotations {

		@Bean
		@LoadBalanced
		@org.springframework.cloud.client.loadbalancer.LoadBalanced
		WebClient.Builder both() {
			return WebClient.builder();
		}

	}

}
