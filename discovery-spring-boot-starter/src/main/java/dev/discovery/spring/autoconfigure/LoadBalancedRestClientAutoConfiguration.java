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
import org.springframework.boot.http.client.autoconfigure.service.HttpServiceClientProperties;
import org.springframework.boot.restclient.RestClientCustomizer;
import org.springframework.boot.restclient.autoconfigure.RestClientBuilderConfigurer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Scope;
import org.springframework.core.env.Environment;
import org.springframework.web.client.RestClient;

/**
 * Load balancing for {@link RestClient}: a {@link LoadBalanced @LoadBalanced}
 * {@code RestClient.Builder} bean, the {@link LoadBalancerInterceptor} added to every
 * {@code RestClient.Builder} bean declared with {@link LoadBalanced @LoadBalanced}, and
 * the balancing of the {@code RestClient} HTTP service groups meant for service discovery
 * (see {@link LoadBalancedHttpServiceGroups}). While Spring Cloud LoadBalancer is active,
 * the groups and the builders that also carry Spring Cloud's {@code @LoadBalanced} are
 * left to it, so that no request is balanced twice. Every bean name starts with
 * {@code discovery}, so that none clashes with a bean of Spring Cloud (such as its
 * {@code loadBalancerInterceptor}) or a user's {@code loadBalancedRestClientBuilder} when
 * bean overriding is off.
 */
@AutoConfiguration(after = DiscoveryAutoConfiguration.class,
		afterName = { "org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration",
				"org.springframework.boot.http.client.autoconfigure.service.HttpServiceClientPropertiesAutoConfiguration" })
@ConditionalOnClass(RestClient.class)
@ConditionalOnBean(DiscoveryClient.class)
public class LoadBalancedRestClientAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	LoadBalancerInterceptor discoveryLoadBalancerInterceptor(DiscoveryClient client,
			ObjectProvider<BalancingPolicies> policies) {
		return new LoadBalancerInterceptor(client, BalancingPolicies.hashHeaders(policies));
	}

	/**
	 * A builder whose clients resolve {@code http://<service>/...}; prototype-scoped like
	 * Spring Boot's own builder, so each injection point gets its own, and injected only
	 * where {@link LoadBalanced @LoadBalanced} asks for it.
	 * @return a new builder
	 */
	@Bean(defaultCandidate = false)
	@LoadBalanced
	@Scope("prototype")
	@Conditional(OnMissingLoadBalancedBuilderCondition.class)
	@ConditionalOnMissingClass("org.springframework.boot.restclient.RestClientCustomizer")
	RestClient.Builder discoveryLoadBalancedRestClientBuilder() {
		return RestClient.builder();
	}

	@Bean
	static BeanPostProcessor discoveryLoadBalancedRestClientBuilderPostProcessor(
			ConfigurableListableBeanFactory beanFactory, Environment environment,
			ObjectProvider<LoadBalancerInterceptor> interceptor) {
		return new LoadBalancedBuilderPostProcessor<>(RestClient.Builder.class,
				RestClient.Builder::requestInterceptors, interceptor, beanFactory, environment);
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

		@Bean(defaultCandidate = false)
		@LoadBalanced
		@Scope("prototype")
		@Conditional(OnMissingLoadBalancedBuilderCondition.class)
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

	/**
	 * Balances the {@code RestClient} HTTP service groups meant for service discovery,
	 * unless Spring Cloud LoadBalancer does.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnHttpServiceGroupsToBalance
	static class HttpServiceGroupConfiguration {

		@Bean
		LoadBalancedRestClientGroups discoveryRestClientHttpServiceGroupConfigurer(
				HttpServiceClientProperties properties, ObjectProvider<LoadBalancerInterceptor> interceptor) {
			return new LoadBalancedRestClientGroups(properties, interceptor);
		}

	}

}
