package dev.discovery.spring.cloud;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.stream.IntStream;

import dev.discovery.core.DiscoveryClient;
import dev.discovery.core.ServiceCall;
import dev.discovery.core.ServiceInstance;
import dev.discovery.inmemory.InMemoryBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.cloud.client.DefaultServiceInstance;
import org.springframework.cloud.client.loadbalancer.CompletionContext;
import org.springframework.cloud.client.loadbalancer.DefaultRequest;
import org.springframework.cloud.client.loadbalancer.DefaultResponse;
import org.springframework.cloud.client.loadbalancer.RequestData;
import org.springframework.cloud.client.loadbalancer.RequestDataContext;
import org.springframework.cloud.client.loadbalancer.Response;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.web.servlet.function.ServerResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link CallOutcomeLifecycle} and {@link BalancingPolicyLoadBalancer} with requests,
 * instances and outcomes as Spring Cloud Gateway Server Web MVC reports them: the status
 * of its responses decides between success and failure, which outlier ejection counts,
 * even though it reports the chosen instance wrapped in its own type, and a retry of the
 * same request goes to another instance.
 */
class CallOutcomeLifecycleTests {

	private static final String SERVICE = "greeting";

	private final InMemoryBackend backend = new InMemoryBackend();

	private final DiscoveryClient client = new DiscoveryClient(this.backend);

	private final CallOutcomeLifecycle lifecycle = new CallOutcomeLifecycle();

	@AfterEach
	void close() {
		this.client.close();
		this.backend.close();
	}

	@Test
	void serverErrorsReportedAsGatewayMvcResponsesEjectTheInstance() {
		ServiceInstance failing = registerThree();

		answerGatewayMvcCalls(failing, HttpStatus.INTERNAL_SERVER_ERROR);

		assertThat(chosenIn(30)).doesNotContain(failing.id());
	}

	@Test
	void clientErrorsReportedAsGatewayMvcResponsesKeepTheInstance() {
		ServiceInstance notFound = registerThree();

		answerGatewayMvcCalls(notFound, HttpStatus.NOT_FOUND);

		assertThat(chosenIn(30)).contains(notFound.id());
	}

	private ServiceInstance registerThree() {
		return register(3);
	}

	private ServiceInstance register(int count) {
		List<ServiceInstance> instances = IntStream.rangeClosed(1, count)
			.mapToObj((i) -> ServiceInstance.builder(SERVICE, "127.0.0.1", 8080 + i).build())
			.toList();
		instances.forEach(this.backend::register);
		return instances.get(0);
	}

	@Test
	void aGatewayRetryOfTheSameRequestGoesToAnInstanceNotTriedYet() {
		register(2);
		BalancingPolicyLoadBalancer balancer = new BalancingPolicyLoadBalancer(this.client, SERVICE, null);
		DefaultRequest<Object> request = gatewayMvcRequest();

		ServiceInstance first = chosen(balancer, request);
		this.lifecycle.onComplete(new CompletionContext<>(CompletionContext.Status.FAILED,
				new IllegalStateException("refused"), request, new DefaultResponse(wrapped(first))));
		chosen(balancer, gatewayMvcRequest());
		ServiceInstance second = chosen(balancer, request);

		assertThat(second.id()).isNotEqualTo(first.id());
	}

	/**
	 * Completes 15 calls as Gateway Server Web MVC's {@code lb} filter does: it balances a
	 * request whose attributes are the servlet request's, reports the chosen instance
	 * wrapped in its own type, and reports the functional {@link ServerResponse} it proxied:
	 * the given status for one instance, 200 for the others.
	 */
	private void answerGatewayMvcCalls(ServiceInstance answering, HttpStatus status) {
		BalancingPolicyLoadBalancer balancer = new BalancingPolicyLoadBalancer(this.client, SERVICE, null);
		for (int i = 0; i < 15; i++) {
			DefaultRequest<Object> request = gatewayMvcRequest();
			ServiceInstance chosen = chosen(balancer, request);
			HttpStatus answer = chosen.id().equals(answering.id()) ? status : HttpStatus.OK;
			this.lifecycle.onComplete(new CompletionContext<>(CompletionContext.Status.SUCCESS, request,
					new DefaultResponse(wrapped(chosen)), ServerResponse.status(answer).build()));
		}
	}

	private static DefaultRequest<Object> gatewayMvcRequest() {
		return new DefaultRequest<>(new RequestDataContext(new RequestData(HttpMethod.GET,
				URI.create("http://gateway/greeting"), new HttpHeaders(), new LinkedMultiValueMap<>(), new HashMap<>())));
	}

	private static ServiceInstance chosen(BalancingPolicyLoadBalancer balancer, DefaultRequest<Object> request) {
		Response<org.springframework.cloud.client.ServiceInstance> response = balancer.choose(request).block();
		assertThat(response).isNotNull();
		ServiceInstance chosen = CloudServiceInstance.unwrap(response.getServer());
		assertThat(chosen).isNotNull();
		return chosen;
	}

	private static org.springframework.cloud.client.ServiceInstance wrapped(ServiceInstance instance) {
		return new DefaultServiceInstance(instance.id(), instance.service(), instance.host(), instance.port(), false);
	}

	private List<String> chosenIn(int calls) {
		List<String> chosen = new ArrayList<>();
		for (int i = 0; i < calls; i++) {
			ServiceCall call = this.client.startCall(SERVICE, null);
			assertThat(call).isNotNull();
			chosen.add(call.instance().id());
			call.succeeded();
		}
		return chosen;
	}

}
