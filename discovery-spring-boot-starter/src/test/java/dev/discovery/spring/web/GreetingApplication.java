package dev.discovery.spring.web;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A minimal web application that uses the starter as a user would.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@RestController
public class GreetingApplication {

	@Value("${spring.application.name}")
	private String name;

	@GetMapping("/greeting")
	String greeting(HttpServletRequest request) {
		return "hello from " + this.name + " on " + request.getLocalPort();
	}

}
