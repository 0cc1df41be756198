package dev.discovery.consul;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ServiceWatchTest {

	@Test
	void indexMovesForwardResetsWhenItGoesBackwardsAndNeverBlocksOnZero() {
		assertThat(ServiceWatch.nextIndex(0, 42)).isEqualTo(42);
		assertThat(ServiceWatch.nextIndex(42, 57)).isEqualTo(57);
		assertThat(ServiceWatch.nextIndex(57, 57)).isEqualTo(57);
		assertThat(ServiceWatch.nextIndex(57, 3)).isZero();
		assertThat(ServiceWatch.nextIndex(0, 0)).isEqualTo(1);
	}

}
