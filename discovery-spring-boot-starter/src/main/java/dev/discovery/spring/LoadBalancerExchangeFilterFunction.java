package dev.discovery.spring;

import java.io.IOException;
import java.time.Duration;
import java.util.function.Function;

import dev.discovery.core.DiscoveryClient;
import dev.discovery.core.ServiceCall;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.ExchangeFunction;
import org.springframework.web.reactive.function.client.WebClientRequestException;

/**
 * The {@code WebClient} counterpart of {@link LoadBalancerInterceptor}, with the same
 * rules: sends a request for {@code http://<service>/path} to an instance chosen by
 * {@link DiscoveryClient#startCall(String, String)} ({@code https} when the instance is
 * secure), and reports the outcome. A response below 500 is a success (with its latency
 * to the response headers); a 5xx response, an {@link IOException} or a
 * {@link WebClientRequestException} (the request could not be sent or answered) is a
 * failure that counts towards ejecting the instance; any other error, and cancellation,
 * end the attempt without an outcome. A failed idempotent request is sent again to an
 * instance not tried yet, as the service's retries allow, after their back-off, which is
 * waited on a timer without holding a thread; the last attempt's response or error is what
 * the caller sees. A service without an instance to call fails the request with
 * {@link NoInstanceAvailableException}, without a DNS lookup of the host. The
 * consistent-hash key is the value of the service's hash header, when one is configured.
 * Thread-safe.
 */
public class LoadBalancerExchangeFilterFunction implements ExchangeFilterFunction {

	private static final Logger logger = LoggerFactory.getLogger(LoadBalancerExchangeFilterFunction.class);

	private final ServiceRequests requests;

	/**
	 * Creates a filter without hash keys.
	 * @param client the client that chooses instances
	 */
	public LoadBalancerExchangeFilterFunction(DiscoveryClient client) {
		this(client, (service) -> null);
	}

	/**
	 * Creates the filter.
	 * @param client the client that chooses instances
	 * @param hashHeaders gives the header that carries a service's consistent-hash key, or
	 * {@code null} for none
	 */
	public LoadBalancerExchangeFilterFunction(DiscoveryClient client, Function<String, @Nullable String> hashHeaders) {
		this.requests = new ServiceRequests(client, hashHeaders);
	}

	@Override
	public Mono<ClientResponse> filter(ClientRequest request, ExchangeFunction next) {
		return Mono.defer(() -> {
			ServiceCall call;
			try {
				call = this.requests.start(request.url(), request.headers());
			}
			catch (NoInstanceAvailableException ex) {
				return Mono.error(ex);
			}
			return send(request, next, call);
		});
	}

	private Mono<ClientResponse> send(ClientRequest request, ExchangeFunction next, ServiceCall call) {
		ClientRequest toInstance = ClientRequest.from(request)
			.url(ServiceRequests.resolve(request.url(), call.instance()))
			.build();
		return next.exchange(toInstance).doOnCancel(call::close).materialize().flatMap((signal) -> {
			ClientResponse response = signal.get();
			if (response != null) {
				return answered(request, next, call, response);
			}
			Throwable error = signal.getThrowable();
			if (error == null) {
				call.close();
				return Mono.empty();
			}
			if (!(error instanceof IOException) && !(error instanceof WebClientRequestException)) {
				call.close();
				return Mono.error(error);
			}
			call.failed();
			return retry(request, next, call, Mono.error(error), Mono.empty(), error);
		});
	}

	private Mono<ClientResponse> answered(ClientRequest request, ExchangeFunction next, ServiceCall call,
			ClientResponse response) {
		if (!response.statusCode().is5xxServerError()) {
			call.succeeded();
			return Mono.just(response);
		}
		call.failed();
		return retry(request, next, call, Mono.just(response), response.releaseBody(), response.statusCode());
	}

	/**
	 * Sends the request again to an untried instance after the back-off, or gives the
	 * failed attempt's outcome when the request may not or cannot be sent again.
	 * @param outcome what the caller sees of the failed attempt
	 * @param discard releases the failed attempt's response before a retry or when the
	 * caller cancels during the back-off
	 * @param reason what went wrong, for the log
	 */
	private Mono<ClientResponse> retry(ClientRequest request, ExchangeFunction next, ServiceCall call,
			Mono<ClientResponse> outcome, Mono<Void> discard, Object reason) {
		Duration delay = ServiceRequests.mayRetry(request.method()) ? call.retryDelay() : null;
		if (delay == null) {
			return outcome;
		}
		Mono<ClientResponse> retried = Mono.defer(() -> {
			ServiceCall retry = call.retryNow();
			if (retry == null) {
				return outcome;
			}
			logger.debug("{} of service '{}' failed {} with {}; retrying on {}", call.instance().id(),
					call.instance().service(), request.url(), reason, retry.instance().id());
			return discard.then(send(request, next, retry));
		});
		if (delay.isZero()) {
			return retried;
		}
		return Mono.delay(delay).doOnCancel(() -> discard.subscribe()).then(retried);
	}

}
