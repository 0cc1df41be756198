package dev.discovery.spring.web;

import dev.discovery.spring.LoadBalanced;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;

/**
 * A web application that calls other services by name through the load-balanced
 * {@code RestClient}, as a user would.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@RestController
public class CallerApplication {

	private final RestClient http;

	CallerApplication(@LoadBalanced RestClient.Builder builder) {
		this.http = builder.build();
	}

	@GetMapping("/call/{service}")
	String call(@PathVariable String service) {
		return this.http.get().uri("http://" + service + "/greeting").retrieve().body(String.class);
	}

}
