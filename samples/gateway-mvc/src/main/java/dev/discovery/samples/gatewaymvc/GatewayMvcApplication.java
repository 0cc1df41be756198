package dev.discovery.samples.gatewaymvc;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Spring Cloud Gateway Server Web MVC (servlet) in front of greeting-service:
 * {@code application.yml} routes {@code /greeting/**} to {@code lb://greeting-service},
 * which the Spring Cloud bridge resolves from the registry's live view, and retries a GET
 * on another instance when the first could not be reached or answered with a 5xx.
 */
@SpringBootApplication
public class GatewayMvcApplication {

	/**
	 * Starts the gateway; {@code --spring.profiles.active=etcd} or {@code consul} selects a
	 * registry server, none the in-memory registry.
	 * @param args Spring Boot arguments, such as {@code --server.port=8091}
	 */
	public static void main(String[] args) {
		SpringApplication.run(GatewayMvcApplication.class, args);
	}

}
