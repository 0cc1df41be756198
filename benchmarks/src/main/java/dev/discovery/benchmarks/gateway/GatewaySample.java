package dev.discovery.benchmarks.gateway;

import java.lang.management.ManagementFactory;
import java.util.Arrays;

import com.sun.management.ThreadMXBean;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.cloud.gateway.route.builder.RouteLocatorBuilder;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The gateway of the gateway measurement: Spring Cloud Gateway (server-webflux) routing
 * {@value #PATH} to {@code lb://}{@value #SERVICE} through Spring Cloud LoadBalancer, with
 * the discovery starter and its Spring Cloud bridge on the class path. Each forwarded
 * request carries the header {@value #HEADER} with the property {@code gateway.name}, so
 * an upstream knows which gateway sent it. {@value #ALLOCATED} answers the bytes every
 * live thread of this JVM has allocated so far. Prints {@value #READY} and the port once
 * ready, and runs until killed.
 */
@SpringBootApplication
public class GatewaySample {

	/** The line printed once the gateway is ready, followed by a space and its port. */
	public static final String READY = "gateway-sample-ready";

	/** The routed path. */
	public static final String PATH = "/greeting";

	/** The service the route balances over. */
	public static final String SERVICE = "greeting-service";

	/** The header that names the gateway on forwarded requests. */
	public static final String HEADER = "X-Gateway";

	/** The path that answers the allocated bytes. */
	public static final String ALLOCATED = "/allocated";

	/**
	 * The one route.
	 * @param routes Gateway's route builder
	 * @param environment where {@code gateway.name} is read
	 * @return the routes
	 */
	@Bean
	RouteLocator greetingRoute(RouteLocatorBuilder routes, Environment environment) {
		String name = environment.getRequiredProperty("gateway.name");
		return routes.routes()
			.route(SERVICE, (route) -> route.path(PATH)
				.filters((filters) -> filters.addRequestHeader(HEADER, name))
				.uri("lb://" + SERVICE))
			.build();
	}

	/**
	 * Answers the allocated bytes, summed over the live threads.
	 * @return the endpoint, which WebFlux asks before Gateway's routes
	 */
	@Bean
	RouterFunction<ServerResponse> allocatedBytes() {
		ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
		return RouterFunctions.route()
			.GET(ALLOCATED, (request) -> ServerResponse.ok()
				.bodyValue(Long.toString(Arrays.stream(threads.getThreadAllocatedBytes(threads.getAllThreadIds()))
					.filter((bytes) -> bytes > 0)
					.sum())))
			.build();
	}

	/**
	 * Starts the gateway as a reactive application (Spring MVC is on the class path too)
	 * and says when it is ready.
	 * @param args Spring Boot arguments, including {@code --gateway.name}
	 */
	public static void main(String[] args) {
		SpringApplication application = new SpringApplication(GatewaySample.class);
		application.setWebApplicationType(WebApplicationType.REACTIVE);
		application.addListeners((ApplicationListener<ApplicationReadyEvent>) (event) -> {
			System.out.println(READY + " " + event.getApplicationContext().getEnvironment().getProperty("local.server.port"));
			System.out.flush();
		});
		application.run(args);
	}

}
