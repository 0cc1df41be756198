package dev.discovery.spring.cloud;

import java.io.IOException;

import dev.discovery.core.ServiceCall;
import org.jspecify.annotations.Nullable;

import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.CompletionContext;
import org.springframework.cloud.client.loadbalancer.LoadBalancerLifecycle;
import org.springframework.cloud.client.loadbalancer.Request;
import org.springframework.cloud.client.loadbalancer.Response;
import org.springframework.cloud.client.loadbalancer.ResponseData;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.util.ClassUtils;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * Ends the call that {@link BalancingPolicyLoadBalancer} started for a request with the
 * request's outcome: a response below 500 is a success (with its latency), a 5xx response
 * or a failed exchange is a failure that counts towards ejecting the instance, and a
 * discarded request ends without an outcome. A client may report a wrapper of the chosen
 * instance, as Gateway Server Web MVC does; the call is then found through the request.
 * Requests to instances that another balancer chose are ignored. Stateless and thread-safe.
 */
public class CallOutcomeLifecycle implements LoadBalancerLifecycle<Object, Object, ServiceInstance> {

	private static final boolean SERVLET_FUNCTIONS_PRESENT = ClassUtils.isPresent(
			"org.springframework.web.servlet.function.ServerResponse", CallOutcomeLifecycle.class.getClassLoader());

	@Override
	public void onStart(Request<Object> request) {
	}

	@Override
	public void onStartRequest(Request<Object> request, Response<ServiceInstance> lbResponse) {
	}

	@Override
	public void onComplete(CompletionContext<Object, ServiceInstance, Object> completionContext) {
		Response<ServiceInstance> chosen = completionContext.getLoadBalancerResponse();
		Request<Object> request = completionContext.getLoadBalancerRequest();
		CloudServiceInstance instance = (chosen != null)
				? ChosenInstances.of(chosen.getServer(), (request != null) ? request.getContext() : null) : null;
		if (instance == null) {
			return;
		}
		ServiceCall call = instance.call();
		if (call == null) {
			return;
		}
		switch (completionContext.status()) {
			case SUCCESS -> {
				if (isServerError(completionContext.getClientResponse())) {
					call.failed();
				}
				else {
					call.succeeded();
				}
			}
			case FAILED -> call.failed();
			default -> call.close();
		}
	}

	private static boolean isServerError(@Nullable Object response) {
		HttpStatusCode status = null;
		if (response instanceof ResponseData data) {
			status = data.getHttpStatus();
		}
		else if (response instanceof ClientHttpResponse client) {
			try {
				status = client.getStatusCode();
			}
			catch (IOException ex) {
				return true;
			}
		}
		else if (response instanceof HttpStatusCode code) {
			status = code;
		}
		else if (SERVLET_FUNCTIONS_PRESENT) {
			status = ServletFunctionResponses.statusOf(response);
		}
		return status != null && status.is5xxServerError();
	}

	/**
	 * Reads the status of Spring MVC's functional responses, which Gateway Server Web MVC
	 * passes as the outcome; loaded only when Spring MVC is present.
	 */
	private static final class ServletFunctionResponses {

		static @Nullable HttpStatusCode statusOf(@Nullable Object response) {
			return (response instanceof ServerResponse server)
					? server.statusCode() : null;
		}

	}

}
