package dev.discovery.spring.web;

import reactor.core.publisher.Mono;

import org.springframework.web.service.annotation.GetExchange;

/**
 * HTTP service interfaces that get {@code /hello}, one per HTTP service client group of
 * the tests.
 */
final class HelloClients {

	private HelloClients() {
	}

	interface NoBaseUrlRestClient {

		@GetExchange("/hello")
		String hello();

	}

	interface LbRestClient {

		@GetExchange("/hello")
		String hello();

	}

	interface SingleLabelRestClient {

		@GetExchange("/hello")
		String hello();

	}

	interface PlainRestClient {

		@GetExchange("/hello")
		String hello();

	}

	interface NoBaseUrlWebClient {

		@GetExchange("/hello")
		Mono<String> hello();

	}

	interface LbWebClient {

		@GetExchange("/hello")
		Mono<String> hello();

	}

}
