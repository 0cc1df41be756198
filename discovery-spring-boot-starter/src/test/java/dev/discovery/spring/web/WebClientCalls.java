package dev.discovery.spring.web;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.springframework.web.reactive.function.client.WebClient;

/**
 * Calls made through a {@code WebClient} in tests, each waiting at most {@link #TIMEOUT}.
 */
public final class WebClientCalls {

	/**
	 * How long a call may take.
	 */
	public static final Duration TIMEOUT = Duration.ofSeconds(10);

	private WebClientCalls() {
	}

	/**
	 * Sends a GET and returns the body of its successful response.
	 * @param http the client
	 * @param uri the URI
	 * @return the body
	 */
	public static String get(WebClient http, String uri) {
		return http.get().uri(uri).retrieve().bodyToMono(String.class).block(TIMEOUT);
	}

	/**
	 * Sends POSTs until one is answered with 500, four at the most.
	 * @param http the client
	 * @param uri the URI
	 * @return the status of each response, in order
	 */
	public static List<Integer> postUntilServerError(WebClient http, String uri) {
		List<Integer> statuses = new ArrayList<>();
		while (!statuses.contains(500) && statuses.size() < 4) {
			statuses.add(http.post()
				.uri(uri)
				.bodyValue("x")
				.exchangeToMono((response) -> response.releaseBody().thenReturn(response.statusCode().value()))
				.block(TIMEOUT));
		}
		return statuses;
	}

}
