package dev.discovery.spring.autoconfigure;

import dev.discovery.core.DiscoveryClient;
import dev.discovery.spring.LoadBalanced;
import dev.discovery.spring.LoadBalancerInterceptor;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.restclient.RestClientCustomizer;
import org.springframework.boot.restclient.autoconfigure.RestClientBuilderConfigurer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Scope;
import org.springframework.web.client.RestClient;

/**
 * Load balancing for {@link RestClient}: a {@link LoadBalanced @LoadBalanced}
 * {@code RestClient.Builder} bean, and the {@link LoadBalancerInterceptor} added to every
 * {@code RestClient.Builder} bean declared with {@link LoadBalanced @LoadBalanced}.
 */
@AutoConfiguration(after = DiscoveryAutoConfiguration.class,
		afterName = "org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration")
@ConditionalOnClass(RestClient.class)
@ConditionalOnBean(DiscoveryClient.class)
public class LoadBalancedRestClientAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	LoadBalancerInterceptor discoveryLoadBalancerInterceptor(DiscoveryClient client, ObjectProvider<BalancingPolicies> policies) {
		BalancingPolicies configured = policies.getIfAvailable();
		return (configured != null) ? new LoadBalancerInterceptor(client, configured::hashHeader)
				: new LoadBalancerInterceptor(client);
	}

	/**
	 * A builder whose clients resolve {@code http://<service>/...}; prototype-scoped like
	 * Spring Boot's own builder, so each injection point gets its own.
	 * @return a new builder
	 */
	@Bean
	@LoadBalanced
	@Scope("prototype")
	@ConditionalOnMissingBean(annotation = LoadBalanced.class)
	@ConditionalOnMissingClass("org.springframework.boot.restclient.RestClientCustomizer")
	RestClient.Builder discoveryLoadBalancedRestClientBuilder() {
		return RestClient.builder();
	}

	@Bean
	static BeanPostProcessor loadBalancedRestClientBuilderPostProcessor(ConfigurableListableBeanFactory beanFactory,
			ObjectProvider<LoadBalancerInterceptor> interceptor) {
		return new LoadBalancedRestClientBuilderPostProcessor(beanFactory, interceptor);
	}

	/**
	 * With {@code spring-boot-restclient} present, the builder is configured as Spring
	 * Boot's own: its request factory follows {@code spring.http.clients.*} (timeouts, the
	 * SSL bundle that https instances are trusted with) and it gets Spring Boot's and the
	 * application's {@link RestClientCustomizer}s (message converters, observation).
	 * Without Spring Boot's {@link RestClientBuilderConfigurer} (in a reactive web
	 * application) it gets the customizers only.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(RestClientCustomizer.class)
	static class CustomizedBuilderConfiguration {

		@Bean
		@LoadBalanced
		@Scope("prototype")
		@ConditionalOnMissingBean(annotation = LoadBalanced.class)
		RestClient.Builder discoveryLoadBalancedRestClientBuilder(ObjectProvider<RestClientBuilderConfigurer> configurer,
				ObjectProvider<RestClientCustomizer> customizers) {
			RestClient.Builder builder = RestClient.builder();
			RestClientBuilderConfigurer boot = configurer.getIfAvailable();
			if (boot != null) {
				return boot.configure(builder);
			}
			customizers.orderedStream().forEach((customizer) -> customizer.customize(builder));
			return builder;
		}

	}

}
