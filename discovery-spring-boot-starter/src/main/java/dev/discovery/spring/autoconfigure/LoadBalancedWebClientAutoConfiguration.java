package dev.discovery.spring.autoconfigure;

import dev.discovery.core.DiscoveryClient;
import dev.discovery.spring.LoadBalanced;
import dev.discovery.spring.LoadBalancerExchangeFilterFunction;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.http.client.autoconfigure.service.HttpServiceClientProperties;
import org.springframework.boot.webclient.WebClientCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Scope;
import org.springframework.core.env.Environment;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Load balancing for {@link WebClient}: a {@link LoadBalanced @LoadBalanced}
 * {@code WebClient.Builder} bean, the {@link LoadBalancerExchangeFilterFunction} added to
 * every {@code WebClient.Builder} bean declared with {@link LoadBalanced @LoadBalanced},
 * and the balancing of the {@code WebClient} HTTP service groups meant for service
 * discovery (see {@link LoadBalancedHttpServiceGroups}). While Spring Cloud LoadBalancer
 * is active, the groups and the builders that also carry Spring Cloud's
 * {@code @LoadBalanced} are left to it, so that no request is balanced twice. Every bean
 * name starts with {@code discovery}, so that none clashes with a bean of Spring Cloud or
 * a user's {@code loadBalancedWebClientBuilder} when bean overriding is off.
 */
@AutoConfiguration(after = DiscoveryAutoConfiguration.class,
		afterName = { "org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration",
				"org.springframework.boot.http.client.autoconfigure.service.HttpServiceClientPropertiesAutoConfiguration" })
@ConditionalOnClass(WebClient.class)
@ConditionalOnBean(DiscoveryClient.class)
public class LoadBalancedWebClientAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	LoadBalancerExchangeFilterFunction discoveryLoadBalancerExchangeFilterFunction(DiscoveryClient client,
			ObjectProvider<BalancingPolicies> policies) {
		return new LoadBalancerExchangeFilterFunction(client, BalancingPolicies.hashHeaders(policies));
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
	@ConditionalOnMissingClass("org.springframework.boot.webclient.WebClientCustomizer")
	WebClient.Builder discoveryLoadBalancedWebClientBuilder() {
		return WebClient.builder();
	}

	@Bean
	static BeanPostProcessor discoveryLoadBalancedWebClientBuilderPostProcessor(
			ConfigurableListableBeanFactory beanFactory, Environment environment,
			ObjectProvider<LoadBalancerExchangeFilterFunction> filter) {
		return new LoadBalancedBuilderPostProcessor<>(WebClient.Builder.class, WebClient.Builder::filters, filter,
				beanFactory, environment);
	}

	/**
	 * With {@code spring-boot-webclient} present, the builder also gets Spring Boot's and
	 * the application's {@link WebClientCustomizer}s (codecs, connector, observation).
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(WebClientCustomizer.class)
	static class CustomizedBuilderConfiguration {

		@Bean(defaultCandidate = false)
		@LoadBalanced
		@Scope("prototype")
		@Conditional(OnMissingLoadBalancedBuilderCondition.class)
		WebClient.Builder discoveryLoadBalancedWebClientBuilder(ObjectProvider<WebClientCustomizer> customizers) {
			WebClient.Builder builder = WebClient.builder();
			customizers.orderedStream().forEach((customizer) -> customizer.customize(builder));
			return builder;
		}

	}

	/**
	 * Balances the {@code WebClient} HTTP service groups meant for service discovery,
	 * unless Spring Cloud LoadBalancer does.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnHttpServiceGroupsToBalance
	static class HttpServiceGroupConfiguration {

		@Bean
		LoadBalancedWebClientGroups discoveryWebClientHttpServiceGroupConfigurer(
				HttpServiceClientProperties properties, ObjectProvider<LoadBalancerExchangeFilterFunction> filter) {
			return new LoadBalancedWebClientGroups(properties, filter);
		}

	}

}
