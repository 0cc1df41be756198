package dev.discovery.spring.cloud.autoconfigure;

import dev.discovery.core.DiscoveryClient;
import dev.discovery.spring.autoconfigure.DiscoveryAutoConfiguration;
import dev.discovery.spring.cloud.ChangeHeartbeats;
import dev.discovery.spring.cloud.SpringCloudDiscoveryClient;
import dev.discovery.spring.cloud.SpringCloudReactiveDiscoveryClient;
import reactor.core.publisher.Flux;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.cloud.client.ConditionalOnBlockingDiscoveryEnabled;
import org.springframework.cloud.client.ConditionalOnDiscoveryEnabled;
import org.springframework.cloud.client.ConditionalOnReactiveDiscoveryEnabled;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Spring Cloud's discovery clients over ours: a blocking one (unless
 * {@code spring.cloud.discovery.blocking.enabled=false}), a reactive one when Reactor is
 * present (unless {@code spring.cloud.discovery.reactive.enabled=false}), and a
 * {@link org.springframework.cloud.client.discovery.event.HeartbeatEvent} on every change
 * of a watched service. Nothing is configured when
 * {@code spring.cloud.discovery.enabled=false}. Runs before Spring Cloud's simple and
 * composite clients, which then include ours.
 */
@AutoConfiguration(after = DiscoveryAutoConfiguration.class, beforeName = {
		"org.springframework.cloud.client.discovery.simple.SimpleDiscoveryClientAutoConfiguration",
		"org.springframework.cloud.client.discovery.simple.reactive.SimpleReactiveDiscoveryClientAutoConfiguration",
		"org.springframework.cloud.client.discovery.composite.CompositeDiscoveryClientAutoConfiguration",
		"org.springframework.cloud.client.discovery.composite.reactive.ReactiveCompositeDiscoveryClientAutoConfiguration",
		"org.springframework.cloud.client.CommonsClientAutoConfiguration",
		"org.springframework.cloud.client.ReactiveCommonsClientAutoConfiguration" })
@ConditionalOnDiscoveryEnabled
@ConditionalOnBean(DiscoveryClient.class)
public class SpringCloudDiscoveryAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ChangeHeartbeats discoveryChangeHeartbeats(DiscoveryClient client, ApplicationEventPublisher publisher) {
		return new ChangeHeartbeats(client, publisher);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBlockingDiscoveryEnabled
	static class BlockingClientConfiguration {

		@Bean
		@ConditionalOnMissingBean
		SpringCloudDiscoveryClient discoverySpringCloudDiscoveryClient(DiscoveryClient client) {
			return new SpringCloudDiscoveryClient(client);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(Flux.class)
	@ConditionalOnReactiveDiscoveryEnabled
	static class ReactiveClientConfiguration {

		@Bean
		@ConditionalOnMissingBean
		SpringCloudReactiveDiscoveryClient discoverySpringCloudReactiveDiscoveryClient(DiscoveryClient client) {
			return new SpringCloudReactiveDiscoveryClient(client);
		}

	}

}
