package dev.discovery.spring.web;

import dev.discovery.spring.LoadBalanced;
import reactor.core.publisher.Mono;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.registry.HttpServiceGroup.ClientType;
import org.springframework.web.service.registry.ImportHttpServices;

/**
 * A web application that calls other services by name, as a user would: through the
 * load-balanced {@code RestClient} and {@code WebClient}, and through HTTP service client
 * groups of both client types whose base URLs ({@code lb://<service>}) are set in
 * {@code spring.http.serviceclient.greeting.base-url} and
 * {@code spring.http.serviceclient.reactive-greeting.base-url}.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@RestController
@ImportHttpServices(group = "greeting", types = CallerApplication.GreetingClient.class,
		clientType = ClientType.REST_CLIENT)
@ImportHttpServices(group = "reactive-greeting", types = CallerApplication.ReactiveGreetingClient.class,
		clientType = ClientType.WEB_CLIENT)
public class CallerApplication {

	private final RestClient http;

	private final WebClient reactiveHttp;

	private final GreetingClient greeting;

	private final ReactiveGreetingClient reactiveGreeting;

	CallerApplication(@LoadBalanced RestClient.Builder builder, @LoadBalanced WebClient.Builder reactiveBuilder,
			GreetingClient greeting, ReactiveGreetingClient reactiveGreeting) {
		this.http = builder.build();
		this.reactiveHttp = reactiveBuilder.build();
		this.greeting = greeting;
		this.reactiveGreeting = reactiveGreeting;
	}

	@GetMapping("/call/{service}")
	String call(@PathVariable String service) {
		return this.http.get().uri("http://" + service + "/greeting").retrieve().body(String.class);
	}

	@GetMapping("/call-reactive/{service}")
	Mono<String> callReactive(@PathVariable String service) {
		return this.reactiveHttp.get().uri("http://" + service + "/greeting").retrieve().bodyToMono(String.class);
	}

	@GetMapping("/call-group")
	String callGroup() {
		return this.greeting.greeting();
	}

	@GetMapping("/call-reactive-group")
	Mono<String> callReactiveGroup() {
		return this.reactiveGreeting.greeting();
	}

	/**
	 * The greeting service as an HTTP interface.
	 */
	interface GreetingClient {

		@GetExchange("/greeting")
		String greeting();

	}

	/**
	 * The greeting service as a reactive HTTP interface.
	 */
	interface ReactiveGreetingClient {

		@GetExchange("/greeting")
		Mono<String> greeting();

	}

}
