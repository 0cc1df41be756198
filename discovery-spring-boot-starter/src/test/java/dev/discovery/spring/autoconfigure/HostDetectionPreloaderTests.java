package dev.discovery.spring.autoconfigure;

import org.junit.jupiter.api.Test;

import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When host detection gets a head start: only where the application will detect its host.
 */
class HostDetectionPreloaderTests {

	@Test
	void preloadsWhenTheApplicationRegistersWithADetectedHost() {
		assertThat(HostDetectionPreloader.detectsHost(new MockEnvironment())).isTrue();
		assertThat(HostDetectionPreloader.detectsHost(
				new MockEnvironment().withProperty("discovery.instance.prefer-ip-address", "true")))
			.isTrue();
	}

	@Test
	void doesNotPreloadWhenNothingIsDetected() {
		assertThat(HostDetectionPreloader
			.detectsHost(new MockEnvironment().withProperty("discovery.instance.host", "10.1.2.3"))).isFalse();
		assertThat(HostDetectionPreloader
			.detectsHost(new MockEnvironment().withProperty("discovery.registration.enabled", "false"))).isFalse();
		assertThat(HostDetectionPreloader.detectsHost(new MockEnvironment().withProperty("discovery.enabled", "false")))
			.isFalse();
	}

}
