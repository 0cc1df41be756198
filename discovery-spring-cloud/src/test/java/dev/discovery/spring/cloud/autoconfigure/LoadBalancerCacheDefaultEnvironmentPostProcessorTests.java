package dev.discovery.spring.cloud.autoconfigure;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

class LoadBalancerCacheDefaultEnvironmentPostProcessorTests {

	private static final String CACHE = "spring.cloud.loadbalancer.cache.enabled";

	@Test
	void springCloudsCacheIsOffWhileOurBalancerIsTheDefault() {
		assertThat(postProcessed(Map.of()).getProperty(CACHE)).isEqualTo("false");
	}

	@Test
	void anExplicitCacheSettingWins() {
		assertThat(postProcessed(Map.of(CACHE, "true")).getProperty(CACHE)).isEqualTo("true");
	}

	@Test
	void springCloudsDefaultsKeepTheirCache() {
		assertThat(postProcessed(Map.of("discovery.spring-cloud.load-balancer.enabled", "false")).getProperty(CACHE))
			.isNull();
	}

	private static StandardEnvironment postProcessed(Map<String, Object> properties) {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources().addFirst(new MapPropertySource("test", properties));
		new LoadBalancerCacheDefaultEnvironmentPostProcessor().postProcessEnvironment(environment,
				new SpringApplication());
		return environment;
	}

}
