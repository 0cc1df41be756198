package dev.discovery.samples.client;

import java.util.List;
import java.util.stream.IntStream;

import dev.discovery.core.DiscoveryClient;
import dev.discovery.core.ServiceInstance;

import org.springframework.stereotype.Service;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

/**
 * Calls greeting-service and reports who answered; lists the instances the registry shows.
 * Thread-safe.
 */
@Service
public class GreetingCalls {

	/** The name the greeting service registers under. */
	public static final String SERVICE = "greeting-service";

	private final RestClient greetingClient;

	private final DiscoveryClient discovery;

	GreetingCalls(RestClient greetingClient, DiscoveryClient discovery) {
		this.greetingClient = greetingClient;
		this.discovery = discovery;
	}

	/**
	 * Makes one call through the load-balanced client, which retries an idempotent call on
	 * another instance when the chosen one fails. Never throws for a failed call.
	 * @return the instance that answered, or the failure
	 */
	public Answer call() {
		try {
			Greeting greeting = this.greetingClient.get().uri("/greeting").retrieve().body(Greeting.class);
			return (greeting != null) ? Answer.answered(greeting.instance(), greeting.port())
					: Answer.failed("empty response");
		}
		catch (RestClientException ex) {
			return Answer.failed(ex.getMessage());
		}
	}

	/**
	 * Makes calls one after the other.
	 * @param calls how many
	 * @return who answered each call, and how the calls spread
	 */
	public Spread spread(int calls) {
		return Spread.of(IntStream.range(0, calls).mapToObj((call) -> call()).toList(), instances());
	}

	/**
	 * Lists every instance of greeting-service this application knows, in every status,
	 * from the view the registry keeps current; never waits on the network after the first
	 * lookup.
	 * @return the instances
	 */
	public List<ServiceInstance> instances() {
		return this.discovery.getAllInstances(SERVICE);
	}

	/**
	 * What greeting-service answers, as this client reads it.
	 *
	 * @param message the greeting
	 * @param instance the id of the instance that answered
	 * @param port the port that received the request
	 */
	public record Greeting(String message, String instance, int port) {
	}

}
