package dev.discovery.spring.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import dev.discovery.consul.ConsulBackend;
import dev.discovery.etcd.EtcdBackend;
import dev.discovery.spring.LoadBalanced;
import dev.discovery.spring.LoadBalancerExchangeFilterFunction;
import dev.discovery.spring.LoadBalancerInterceptor;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.http.client.autoconfigure.service.HttpServiceClientPropertiesAutoConfiguration;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.WebClientCustomizer;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.service.registry.HttpServiceGroupConfigurer;

import static dev.discovery.spring.autoconfigure.BuilderContents.filtersOf;
import static dev.discovery.spring.autoconfigure.BuilderContents.interceptorsOf;
import static org.assertj.core.api.Assertions.assertThat;

class LoadBalancedWebClientAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DiscoveryAutoConfiguration.class, RestClientAutoConfiguration.class,
				WebClientAutoConfiguration.class, HttpServiceClientPropertiesAutoConfiguration.class,
				LoadBalancedRestClientAutoConfiguration.class, LoadBalancedWebClientAutoConfiguration.class))
		.withClassLoader(new FilteredClassLoader(EtcdBackend.class, ConsulBackend.class))
		.withPropertyValues("spring.application.name=orders");

	@Test
	void loadBalancedBuilderIsProvidedWithTheFilterLast() {
		this.runner.withUserConfiguration(FilterCustomizer.class).run((context) -> {
			WebClient.Builder builder = context.getBean("discoveryLoadBalancedWebClientBuilder", WebClient.Builder.class);
			assertThat(filtersOf(builder)).containsExactly(FilterCustomizer.FILTER,
					context.getBean(LoadBalancerExchangeFilterFunction.class));
			assertThat(builder)
				.isNotSameAs(context.getBean("discoveryLoadBalancedWebClientBuilder", WebClient.Builder.class));
		});
	}

	@Test
	void loadBalancedBuilderIsProvidedWithoutSpringBootWebClient() {
		this.runner
			.withClassLoader(new FilteredClassLoader(EtcdBackend.class, ConsulBackend.class, WebClientCustomizer.class))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBeanFactory()
					.getBeanDefinition("discoveryLoadBalancedWebClientBuilder")
					.getFactoryBeanName()).endsWith("LoadBalancedWebClientAutoConfiguration");
				assertThat(filtersOf(context.getBean("discoveryLoadBalancedWebClientBuilder", WebClient.Builder.class)))
					.containsExactly(context.getBean(LoadBalancerExchangeFilterFunction.class));
			});
	}

	@Test
	void nothingIsProvidedWithoutSpringWebFlux() {
		this.runner.withClassLoader(new FilteredClassLoader(EtcdBackend.class, ConsulBackend.class, WebClient.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(LoadBalancerExchangeFilterFunction.class)
				.doesNotHaveBean("discoveryLoadBalancedWebClientBuilder")
				.doesNotHaveBean("discoveryWebClientHttpServiceGroupConfigurer")
				.hasBean("discoveryLoadBalancedRestClientBuilder"));
	}

	@Test
	void nothingIsProvidedWithoutDiscovery() {
		this.runner.withPropertyValues("discovery.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(LoadBalancerExchangeFilterFunction.class)
				.doesNotHaveBean(HttpServiceGroupConfigurer.class));
	}

	@Test
	void userBuildersDeclaredLoadBalancedAreBalancedAndReplaceOnlyTheStartersBuilderOfTheirType() {
		this.runner.withUserConfiguration(UserBuilders.class).run((context) -> {
			LoadBalancerExchangeFilterFunction filter = context.getBean(LoadBalancerExchangeFilterFunction.class);
			assertThat(context.getBeanNamesForType(WebClient.Builder.class)).containsOnly("userLoadBalanced",
					"userPlain");
			assertThat(filtersOf(context.getBean("userLoadBalanced", WebClient.Builder.class))).containsExactly(filter);
			assertThat(filtersOf(context.getBean("userPlain", WebClient.Builder.class))).isEmpty();
			assertThat(context).hasBean("discoveryLoadBalancedRestClientBuilder");
		});
	}

	@Test
	void plainInjectionGetsSpringBootsBuildersAndQualifiedInjectionGetsTheLoadBalancedOnes() {
		this.runner.withUserConfiguration(Injected.class).run((context) -> {
			Injected injected = context.getBean(Injected.class);
			assertThat(filtersOf(injected.plainWebClient)).isEmpty();
			assertThat(filtersOf(injected.balancedWebClient))
				.containsExactly(context.getBean(LoadBalancerExchangeFilterFunction.class));
			assertThat(interceptorsOf(injected.plainRestClient)).isEmpty();
			assertThat(interceptorsOf(injected.balancedRestClient))
				.containsExactly(context.getBean(LoadBalancerInterceptor.class));
		});
	}

	@Test
	void httpServiceGroupConfigurersAreProvidedForBothClientTypes() {
		this.runner.run((context) -> assertThat(context.getBeanNamesForType(HttpServiceGroupConfigurer.class))
			.containsExactlyInAnyOrder("discoveryRestClientHttpServiceGroupConfigurer",
					"discoveryWebClientHttpServiceGroupConfigurer"));
	}

	@Test
	void everyBeanOfTheLoadBalancedClientsIsNamedAsTheStartersOwn() {
		this.runner.run((context) -> {
			List<String> names = new ArrayList<>();
			for (String name : context.getBeanDefinitionNames()) {
				BeanDefinition definition = context.getBeanFactory().getBeanDefinition(name);
				String declaredBy = (definition.getFactoryBeanName() != null) ? definition.getFactoryBeanName()
						: definition.getBeanClassName();
				if (definition.getFactoryMethodName() != null && declaredBy.contains(".LoadBalanced")) {
					names.add(name);
				}
			}
			assertThat(names).hasSizeGreaterThanOrEqualTo(8).allMatch((name) -> name.startsWith("discovery"));
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class FilterCustomizer {

		static final org.springframework.web.reactive.function.client.ExchangeFilterFunction FILTER = (request,
				next) -> next.exchange(request);

		@Bean
		WebClientCustomizer addFilter() {
			return (builder) -> builder.filter(FILTER);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserBuilders {

		@Bean
		@LoadBalanced
		WebClient.Builder userLoadBalanced() {
			return WebClient.builder();
		}

		@Bean
		WebClient.Builder userPlain() {
			return WebClient.builder();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Injected {

		@Autowired
		WebClient.Builder plainWebClient;

		@Autowired
		@LoadBalanced
		WebClient.Builder balancedWebClient;

		@Autowired
		RestClient.Builder plainRestClient;

		@Autowired
		@LoadBalanced
		RestClient.Builder balancedRestClient;

	}

}
