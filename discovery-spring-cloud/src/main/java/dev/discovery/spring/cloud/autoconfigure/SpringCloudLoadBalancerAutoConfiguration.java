package dev.discovery.spring.cloud.autoconfigure;

import dev.discovery.core.DiscoveryClient;
import dev.discovery.spring.autoconfigure.DiscoveryAutoConfiguration;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.cloud.loadbalancer.annotation.LoadBalancerClients;
import org.springframework.cloud.loadbalancer.core.ReactorServiceInstanceLoadBalancer;

/**
 * Makes our supplier and balancer the defaults of every Spring Cloud LoadBalancer client
 * (see {@link DiscoveryLoadBalancerClientConfiguration}), so Gateway's {@code lb://}
 * routes, OpenFeign and Spring Cloud's {@code @LoadBalanced} clients choose with our
 * policies from push-fed lists. A client configured with its own
 * {@code @LoadBalancerClient} configuration keeps what that configuration defines. Off
 * with {@code discovery.spring-cloud.load-balancer.enabled=false} (Spring Cloud's
 * defaults then read our discovery client through their cache) or
 * {@code spring.cloud.loadbalancer.enabled=false}.
 */
@AutoConfiguration(after = DiscoveryAutoConfiguration.class,
		beforeName = "org.springframework.cloud.loadbalancer.config.LoadBalancerAutoConfiguration")
@ConditionalOnClass(ReactorServiceInstanceLoadBalancer.class)
@ConditionalOnBean(DiscoveryClient.class)
@ConditionalOnBooleanProperty(name = "spring.cloud.loadbalancer.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = "discovery.spring-cloud.load-balancer.enabled", matchIfMissing = true)
@LoadBalancerClients(defaultConfiguration = DiscoveryLoadBalancerClientConfiguration.class)
public class SpringCloudLoadBalancerAutoConfiguration {

}
