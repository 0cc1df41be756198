package dev.discovery.spring.cloud.autoconfigure;

import dev.discovery.core.DiscoveryClient;
import dev.discovery.spring.autoconfigure.DiscoveryProperties;
import dev.discovery.spring.cloud.BalancingPolicyLoadBalancer;
import dev.discovery.spring.cloud.CallOutcomeLifecycle;
import dev.discovery.spring.cloud.WatchedInstanceListSupplier;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.loadbalancer.core.ReactorLoadBalancer;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.support.LoadBalancerClientFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The beans of one Spring Cloud LoadBalancer client (one service), created in that
 * client's child context: the push-fed {@link WatchedInstanceListSupplier}, the
 * {@link BalancingPolicyLoadBalancer} that chooses with the service's policy, and the
 * {@link CallOutcomeLifecycle} that reports each request's outcome to it. Each backs off
 * when the client's own configuration defines one. Not an auto-configuration: it is the
 * default configuration that {@link SpringCloudLoadBalancerAutoConfiguration} registers.
 */
@Configuration(proxyBeanMethods = false)
public class DiscoveryLoadBalancerClientConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ServiceInstanceListSupplier discoveryInstanceListSupplier(DiscoveryClient client, Environment environment) {
		return new WatchedInstanceListSupplier(client, serviceOf(environment));
	}

	@Bean
	@ConditionalOnMissingBean
	ReactorLoadBalancer<ServiceInstance> discoveryReactorLoadBalancer(DiscoveryClient client,
			DiscoveryProperties properties, Environment environment) {
		String service = serviceOf(environment);
		return new BalancingPolicyLoadBalancer(client, service,
				properties.getLoadBalancer().forService(service).getHashHeader());
	}

	@Bean
	@ConditionalOnMissingBean
	CallOutcomeLifecycle discoveryCallOutcomeLifecycle() {
		return new CallOutcomeLifecycle();
	}

	private static String serviceOf(Environment environment) {
		return environment.getRequiredProperty(LoadBalancerClientFactory.PROPERTY_NAME);
	}

}
