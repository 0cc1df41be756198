package dev.discovery.spring.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Reads what a client builder holds.
 */
final class BuilderContents {

	private BuilderContents() {
	}

	static List<Object> interceptorsOf(RestClient.Builder builder) {
		List<Object> seen = new ArrayList<>();
		builder.requestInterceptors(seen::addAll);
		return seen;
	}

	static List<Object> filtersOf(WebClient.Builder builder) {
		List<Object> seen = new ArrayList<>();
		builder.filters(seen::addAll);
		return seen;
	}

}
