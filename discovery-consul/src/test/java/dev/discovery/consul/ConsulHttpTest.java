package dev.discovery.consul;

import java.time.Duration;

import dev.discovery.consul.testserver.FakeConsulAgent;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ConsulHttpTest {

	@Test
	void loopbackIsLocalhostOrALoopbackAddressLiteral() {
		assertThat(ConsulHttp.onLoopback("localhost")).isTrue();
		assertThat(ConsulHttp.onLoopback("LocalHost")).isTrue();
		assertThat(ConsulHttp.onLoopback("127.0.0.1")).isTrue();
		assertThat(ConsulHttp.onLoopback("127.1.2.3")).isTrue();
		assertThat(ConsulHttp.onLoopback("::1")).isTrue();
		assertThat(ConsulHttp.onLoopback("0:0:0:0:0:0:0:1")).isTrue();
		assertThat(ConsulHttp.onLoopback("127.0.0.256")).isFalse();
		assertThat(ConsulHttp.onLoopback("128.0.0.1")).isFalse();
		assertThat(ConsulHttp.onLoopback("10.0.0.7")).isFalse();
		assertThat(ConsulHttp.onLoopback("fd00::7")).isFalse();
		assertThat(ConsulHttp.onLoopback("consul.service.consul")).isFalse();
		assertThat(ConsulHttp.onLoopback("127.0.0.1.example.com")).isFalse();
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
