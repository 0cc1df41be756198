package dev.discovery.samples.client;

import dev.discovery.spring.LoadBalanced;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.web.client.RestClient;

/**
 * A client of greeting-service that reaches it by name, through the load-balanced
 * {@link RestClient}, and shows on {@code GET /spread} which instance answered each call.
 */
@SpringBootApplication
public class GreetingClientApplication {

	@Bean
	RestClient greetingClient(@LoadBalanced RestClient.Builder builder) {
		return builder.baseUrl("http://greeting-service").build();
	}

	/**
	 * Starts the client; {@code --spring.profiles.active=etcd} or {@code consul} selects a
	 * registry server, none the in-memory registry.
	 * @param args Spring Boot arguments, such as {@code --server.port=8080}
	 */
	public static void main(String[] args) {
		SpringApplication.run(GreetingClientApplication.class, args);
	}

}
