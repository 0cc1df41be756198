package dev.discovery.spring.cloud;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import dev.discovery.core.DiscoveryClient;
import dev.discovery.core.ServiceCall;
import dev.discovery.core.ServiceInstance;
import dev.discovery.inmemory.InMemoryBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.cloud.client.loadbalancer.CompletionContext;
import org.springframework.cloud.client.loadbalancer.DefaultRequest;
import org.springframework.cloud.client.loadbalancer.DefaultResponse;
import org.springframework.http.HttpStatus;
import org.springframework.web.servlet.function.ServerResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link CallOutcomeLifecycle} with the outcomes that Spring Cloud's clients report: the
 * status of each kind of response they pass decides between success and failure, which
 * outlier ejection counts.
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
		List<ServiceInstance> instances = IntStream.rangeClosed(1, 3)
			.mapToObj((i) -> ServiceInstance.builder(SERVICE, "127.0.0.1", 8080 + i).build())
			.toList();
		instances.forEach(this.backend::register);
		return instances.get(0);
	}

	/**
	 * Completes 15 calls as Gateway Server Web MVC's {@code lb} filter does, with a
	 * functional {@link ServerResponse}: the given status for one instance, 200 for the
	 * others.
	 */
	private void answerGatewayMvcCalls(ServiceInstance answering, HttpStatus status) {
		for (int i = 0; i < 15; i++) {
			ServiceCall call = this.client.startCall(SERVICE, null);
			assertThat(call).isNotNull();
			HttpStatus answer = call.instance().id().equals(answering.id()) ? status : HttpStatus.OK;
			this.lifecycle.onComplete(new CompletionContext<>(CompletionContext.Status.SUCCESS, new DefaultRequest<>(),
					new DefaultResponse(CloudServiceInstance.chosen(call)), ServerResponse.status(answer).build()));
		}
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
