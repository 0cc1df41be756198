package dev.discovery.spring;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.util.function.Function;

import dev.discovery.core.DiscoveryClient;
import dev.discovery.core.ServiceCall;
import dev.discovery.core.ServiceInstance;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpRequest;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.http.client.support.HttpRequestWrapper;

/**
 * Sends a request for {@code http://<service>/path} to an instance chosen by
 * {@link DiscoveryClient#startCall(String, String)}, and reports the outcome: a response
 * below 500 is a success (with its latency), a 5xx response or an I/O failure is a failure
 * that counts towards ejecting the instance; any other failure ends the attempt without an
 * outcome. A failed idempotent request is sent again to an instance not tried yet, as the
 * service's retries allow, after their back-off; the last attempt's response or failure is
 * what the caller sees. The consistent-hash key is the value of the service's hash header,
 * when one is configured. Thread-safe.
 */
public class LoadBalancerInterceptor implements ClientHttpRequestInterceptor {

	private static final Logger logger = LoggerFactory.getLogger(LoadBalancerInterceptor.class);

	private final ServiceRequests requests;

	/**
	 * Creates an interceptor without hash keys.
	 * @param client the client that chooses instances
	 */
	public LoadBalancerInterceptor(DiscoveryClient client) {
		this(client, (service) -> null);
	}

	/**
	 * Creates the interceptor.
	 * @param client the client that chooses instances
	 * @param hashHeaders gives the header that carries a service's consistent-hash key, or
	 * {@code null} for none
	 */
	public LoadBalancerInterceptor(DiscoveryClient client, Function<String, @Nullable String> hashHeaders) {
		this.requests = new ServiceRequests(client, hashHeaders);
	}

	@Override
	public ClientHttpResponse intercept(HttpRequest request, byte[] body, ClientHttpRequestExecution execution)
			throws IOException {
		boolean idempotent = ServiceRequests.mayRetry(request.getMethod());
		ServiceCall call = this.requests.start(request.getURI(), request.getHeaders());
		while (true) {
			ClientHttpResponse response;
			try {
				response = execution.execute(new InstanceRequest(request, call.instance()), body);
			}
			catch (IOException ex) {
				call.failed();
				ServiceCall next = idempotent ? retry(call) : null;
				if (next == null) {
					throw ex;
				}
				logger.debug("Request to {} of service '{}' failed; retrying on {}", call.instance().id(),
						call.instance().service(), next.instance().id(), ex);
				call = next;
				continue;
			}
			catch (RuntimeException | Error ex) {
				call.close();
				throw ex;
			}
			if (!response.getStatusCode().is5xxServerError()) {
				call.succeeded();
				return response;
			}
			call.failed();
			ServiceCall next = idempotent ? retry(call) : null;
			if (next == null) {
				return response;
			}
			logger.debug("{} answered {} with {}; retrying on {}", call.instance().id(), request.getURI(),
					response.getStatusCode(), next.instance().id());
			response.close();
			call = next;
		}
	}

	private static @Nullable ServiceCall retry(ServiceCall call) throws InterruptedIOException {
		try {
			return call.retry();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new InterruptedIOException("interrupted while backing off before a retry");
		}
	}

	/**
	 * The original request, addressed to one instance.
	 */
	private static final class InstanceRequest extends HttpRequestWrapper {

		private final URI uri;

		InstanceRequest(HttpRequest request, ServiceInstance instance) {
			super(request);
			this.uri = ServiceRequests.resolve(request.getURI(), instance);
		}

		@Override
		public URI getURI() {
			return this.uri;
		}

	}

}
