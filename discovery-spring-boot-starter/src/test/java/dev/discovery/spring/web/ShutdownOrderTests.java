package dev.discovery.spring.web;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.discovery.core.ServiceInstance;
import dev.discovery.inmemory.InMemoryBackend;
import dev.discovery.spring.SelfRegistration;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.web.server.context.WebServerGracefulShutdownLifecycle;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

class ShutdownOrderTests {

	private static final List<String> observations = new CopyOnWriteArrayList<>();

	@Test
	void deregistersBeforeTheWebServerStartsDraining() {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(GreetingApplication.class,
				DrainObserver.class)
			.properties("spring.application.name=draining", "discovery.backend=inmemory", "server.port=0", "server.shutdown=graceful",
					"discovery.instance.host=127.0.0.1")
			.run();
		int port = ((WebServerApplicationContext) context).getWebServer().getPort();
		try (InMemoryBackend observer = new InMemoryBackend()) {
			assertThat(observer.instances("draining")).extracting(ServiceInstance::port).containsExactly(port);
			assertThat(context.getBean(SelfRegistration.class).getPhase())
				.isGreaterThan(WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE);

			context.close();

			assertThat(observations).containsExactly("registered instances when draining starts: []",
					"web server answers when draining starts: hello from draining on " + port);
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class DrainObserver {

		@Bean
		SmartLifecycle drainObserver(ConfigurableApplicationContext context) {
			return new SmartLifecycle() {

				private volatile boolean running;

				@Override
				public void start() {
					this.running = true;
				}

				@Override
				public void stop() {
					try (InMemoryBackend observer = new InMemoryBackend()) {
						observations.add("registered instances when draining starts: " + observer.instances("draining"));
					}
					int port = ((WebServerApplicationContext) context).getWebServer().getPort();
					observations.add("web server answers when draining starts: "
							+ RestClient.create("http://127.0.0.1:" + port).get().uri("/greeting").retrieve().body(String.class));
					this.running = false;
				}

				@Override
				public boolean isRunning() {
					return this.running;
				}

				@Override
				public int getPhase() {
					return WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE + 1;
				}

			};
		}

	}

}
