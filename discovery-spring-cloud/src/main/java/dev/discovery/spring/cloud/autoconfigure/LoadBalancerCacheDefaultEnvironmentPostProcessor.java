package dev.discovery.spring.cloud.autoconfigure;

import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Turns Spring Cloud LoadBalancer's instance cache off by default while our balancer is
 * the default one ({@code discovery.spring-cloud.load-balancer.enabled}, on unless set to
 * {@code false}). Our supplier is fed by the registry's watch and never reads the cache,
 * so the cache manager would only hold memory and log, at every start, that it is not
 * meant for production. The default is the last property source: an explicit
 * {@code spring.cloud.loadbalancer.cache.enabled=true} (for a client configured with
 * Spring Cloud's caching supplier) still wins.
 */
public class LoadBalancerCacheDefaultEnvironmentPostProcessor implements EnvironmentPostProcessor {

	static final String PROPERTY_SOURCE_NAME = "discoveryLoadBalancerCacheDefault";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (environment.getProperty("discovery.spring-cloud.load-balancer.enabled", Boolean.class, true)) {
			environment.getPropertySources()
				.addLast(new MapPropertySource(PROPERTY_SOURCE_NAME,
						Map.of("spring.cloud.loadbalancer.cache.enabled", "false")));
		}
	}

}
