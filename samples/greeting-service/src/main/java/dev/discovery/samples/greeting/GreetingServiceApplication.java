package dev.discovery.samples.greeting;

import dev.discovery.core.ServiceInstance;
import dev.discovery.spring.SelfRegistration;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A service that registers itself with the starter and greets with the id and port of the
 * instance that answers.
 */
@SpringBootApplication
@RestController
public class GreetingServiceApplication {

	private final SelfRegistration selfRegistration;

	GreetingServiceApplication(SelfRegistration selfRegistration) {
		this.selfRegistration = selfRegistration;
	}

	/**
	 * Answers with this instance's registered id and the port the request arrived on.
	 * @param request the request
	 * @return the greeting
	 */
	@GetMapping("/greeting")
	public Greeting greeting(HttpServletRequest request) {
		String id = this.selfRegistration.registration()
			.map((registration) -> registration.instance().id())
			.orElse("unregistered");
		return new Greeting("Hello from " + id, id, request.getLocalPort());
	}

	/**
	 * Starts one instance; {@code --spring.profiles.active=etcd} or {@code consul} selects a
	 * registry server, none the in-memory registry.
	 * @param args Spring Boot arguments, such as {@code --server.port=8081}
	 */
	public static void main(String[] args) {
		SpringApplication.run(GreetingServiceApplication.class, args);
	}

	/**
	 * What {@code GET /greeting} answers.
	 *
	 * @param message a greeting naming the instance
	 * @param instance the {@link ServiceInstance#id() id} this instance is registered with
	 * @param port the port that received the request
	 */
	public record Greeting(String message, String instance, int port) {
	}

}
