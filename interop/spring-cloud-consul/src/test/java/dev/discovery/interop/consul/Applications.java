package dev.discovery.interop.consul;

import java.lang.annotation.Annotation;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import dev.discovery.consul.testserver.ConsulAgentExtension;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Starts the applications of these tests in this JVM, each in a context of its own, and
 * calls through their load-balanced clients.
 */
final class Applications {

	private Applications() {
	}

	/**
	 * Starts an application.
	 * @param application its configuration class
	 * @param properties {@code name=value} pairs
	 * @return the running application
	 */
	static ConfigurableApplicationContext start(Class<?> application, List<String> properties) {
		return new SpringApplicationBuilder(application).properties(properties.toArray(String[]::new)).run();
	}

	/**
	 * Returns the properties that point Spring Cloud Consul at the agent and register on
	 * 127.0.0.1, checked every second.
	 * @param consul the agent
	 * @return {@code name=value} pairs
	 */
	static List<String> springCloudConsul(ConsulAgentExtension consul) {
		return List.of("spring.cloud.consul.host=" + consul.host(), "spring.cloud.consul.port=" + consul.port(),
				"spring.cloud.consul.discovery.prefer-ip-address=true",
				"spring.cloud.consul.discovery.ip-address=127.0.0.1",
				"spring.cloud.consul.discovery.health-check-interval=1s");
	}

	/**
	 * Returns the properties that point the starter at the agent and register on 127.0.0.1.
	 * @param consul the agent
	 * @return {@code name=value} pairs
	 */
	static List<String> discovery(ConsulAgentExtension consul) {
		return List.of("discovery.backend=consul", "discovery.consul.host=" + consul.host(),
				"discovery.consul.port=" + consul.port(), "discovery.instance.host=127.0.0.1");
	}

	/**
	 * Joins lists of properties.
	 * @param groups the lists
	 * @return one list
	 */
	@SafeVarargs
	static List<String> join(List<String>... groups) {
		List<String> all = new ArrayList<>();
		for (List<String> group : groups) {
			all.addAll(group);
		}
		return all;
	}

	/**
	 * Returns the port of an application's web server.
	 * @param application the running application
	 * @return the port
	 */
	static int port(ConfigurableApplicationContext application) {
		return ((WebServerApplicationContext) application).getWebServer().getPort();
	}

	/**
	 * Calls {@code GET http://<service>/whoami} a few times through the application's one
	 * builder that carries the qualifier.
	 * @param application the running application
	 * @param qualifier the {@code @LoadBalanced} annotation of Spring Cloud or of the starter
	 * @param service the service called by name
	 * @return the distinct answers of {@link WhoAmI}
	 */
	static Set<String> whoAnswers(ConfigurableApplicationContext application, Class<? extends Annotation> qualifier,
			String service) {
		String[] names = application.getBeanNamesForAnnotation(qualifier);
		assertThat(names).as("builders qualified @%s", qualifier.getName()).hasSize(1);
		RestClient client = application.getBean(names[0], RestClient.Builder.class).build();
		Set<String> answers = new LinkedHashSet<>();
		for (int call = 0; call < 6; call++) {
			answers.add(client.get().uri("http://" + service + "/whoami").retrieve().body(String.class));
		}
		return answers;
	}

}
