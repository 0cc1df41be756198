package dev.discovery.consul;

import java.time.Duration;

import dev.discovery.consul.testserver.FakeConsulAgent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class ConsulHttpTest {

	@ParameterizedTest
	@ValueSource(strings = { "localhost", "LocalHost", "127.0.0.1", "127.1.2.3", "::1", "0:0:0:0:0:0:0:1" })
	void loopbackIsLocalhostOrALoopbackAddress(String host) {
		assertThat(ConsulHttp.onLoopback(host)).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "127.0.0.256", "128.0.0.1", "10.0.0.7", "fd00::7", "consul.service.consul",
			"127.0.0.1.example.com" })
	void anyOtherHostIsRemote(String host) {
		assertThat(ConsulHttp.onLoopback(host)).isFalse();
	}

	@Test
	void anAgentOnLoopbackIsNotAskedToCompress() {
		try (FakeConsulAgent agent = FakeConsulAgent.start();
				ConsulBackend backend = ConsulBackend.builder()
					.host("127.0.0.1")
					.port(agent.port())
					.requestTimeout(Duration.ofSeconds(2))
					.build()) {
			agent.answer("[]", "{\"orders\": []}");
			assertThat(backend.services()).containsExactly("orders");
			assertThat(backend.instances("orders")).isEmpty();
			assertThat(agent.acceptEncodings()).isEmpty();
		}
	}

}
