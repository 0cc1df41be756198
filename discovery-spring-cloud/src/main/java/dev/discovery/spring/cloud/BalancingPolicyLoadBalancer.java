package dev.discovery.spring.cloud;

import dev.discovery.core.DiscoveryClient;
import dev.discovery.core.ServiceCall;
import dev.discovery.core.ServiceHandle;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.DefaultResponse;
import org.springframework.cloud.client.loadbalancer.EmptyResponse;
import org.springframework.cloud.client.loadbalancer.Request;
import org.springframework.cloud.client.loadbalancer.RequestData;
import org.springframework.cloud.client.loadbalancer.RequestDataContext;
import org.springframework.cloud.client.loadbalancer.Response;
import org.springframework.cloud.client.loadbalancer.RetryableRequestContext;
import org.springframework.cloud.loadbalancer.core.ReactorServiceInstanceLoadBalancer;
import org.springframework.http.HttpHeaders;

/**
 * Spring Cloud LoadBalancer's balancer for one service, choosing with the service's own
 * {@link dev.discovery.core.BalancingPolicy} (strategy, zone, filters, outlier ejection,
 * panic threshold) through {@link DiscoveryClient#startCall}. Each choice for a request
 * (one with a context, as Spring Cloud's clients make) starts a tracked call, which
 * {@link CallOutcomeLifecycle} ends with the request's outcome, so the
 * {@code least-requests} and {@code latency} strategies and outlier ejection see the
 * traffic of Gateway, OpenFeign and Spring Cloud's {@code @LoadBalanced} clients. A
 * retry, whether it names the instance it tried or, as the gateways' retry filters do,
 * balances the same request again, goes to an instance the call has not tried yet while
 * the service's retries allow. A bare choice without a context, as
 * {@code LoadBalancerClient.choose(serviceId)} makes, is not tracked, since nothing
 * reports its end. The consistent-hash key is the value of the
 * service's hash header. Only the first choice of a service may read the registry, and it
 * does so off the caller's thread; it keeps the service's {@link ServiceHandle}, so later
 * choices do not look the service up by name. Thread-safe.
 */
public class BalancingPolicyLoadBalancer implements ReactorServiceInstanceLoadBalancer {

	private final DiscoveryClient client;

	private final String service;

	private final @Nullable String hashHeader;

	private volatile @Nullable ServiceHandle handle;

	/**
	 * Creates the balancer.
	 * @param client our client, which applies the policy
	 * @param service the service name
	 * @param hashHeader the header that carries the consistent-hash key, or {@code null}
	 */
	public BalancingPolicyLoadBalancer(DiscoveryClient client, String service, @Nullable String hashHeader) {
		this.client = client;
		this.service = service;
		this.hashHeader = hashHeader;
	}

	/**
	 * Chooses an instance and starts tracking a call to it.
	 * @param request Spring Cloud's request, whose context may carry the request's headers
	 * and the instance a retry follows
	 * @return the chosen instance, an empty response when the service has no {@code UP}
	 * instance, or an error when the first lookup finds the registry unreachable
	 */
	@Override
	public Mono<Response<ServiceInstance>> choose(Request request) {
		ServiceHandle loaded = this.handle;
		if (loaded != null) {
			return Mono.just(respond(loaded, request));
		}
		return Mono.fromCallable(() -> {
			ServiceHandle first = this.client.service(this.service);
			this.handle = first;
			return respond(first, request);
		}).subscribeOn(Schedulers.boundedElastic());
	}

	private Response<ServiceInstance> respond(ServiceHandle handle, Request<?> request) {
		Object context = request.getContext();
		if (context == null) {
			return handle.choose()
				.<Response<ServiceInstance>>map((instance) -> new DefaultResponse(CloudServiceInstance.of(instance)))
				.orElseGet(EmptyResponse::new);
		}
		ServiceCall call = retryOf(context);
		if (call == null) {
			call = handle.startCall(hashKey(context));
		}
		if (call == null) {
			return new EmptyResponse();
		}
		CloudServiceInstance chosen = CloudServiceInstance.chosen(call);
		ChosenInstances.remember(context, chosen);
		return new DefaultResponse(chosen);
	}

	private static @Nullable ServiceCall retryOf(@Nullable Object context) {
		CloudServiceInstance previous = (context instanceof RetryableRequestContext retryable)
				? ChosenInstances.of(retryable.getPreviousServiceInstance(), context)
				: ChosenInstances.lastChosen(context);
		return (previous != null && previous.call() != null) ? previous.call().retryNow() : null;
	}

	private @Nullable String hashKey(@Nullable Object context) {
		if (this.hashHeader == null || !(context instanceof RequestDataContext data)) {
			return null;
		}
		RequestData request = data.getClientRequest();
		HttpHeaders headers = (request != null) ? request.getHeaders() : null;
		return (headers != null) ? headers.getFirst(this.hashHeader) : null;
	}

}
