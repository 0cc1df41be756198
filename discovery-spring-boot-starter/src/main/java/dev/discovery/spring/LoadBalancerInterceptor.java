package dev.discovery.spring;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.util.Set;
import java.util.function.Function;

import dev.discovery.core.DiscoveryClient;
import dev.discovery.core.DiscoveryException;
import dev.discovery.core.ServiceCall;
import dev.discovery.core.ServiceInstance;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpMethod;
import org.springframework.http.HttpRequest;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.http.client.support.HttpRequestWrapper;

/**
 * Sends a request for {@code http://<service>/path} to an instance chosen by
 * {@link DiscoveryClient#startCall(String, String)}, and reports the outcome: a response
 * below 500 is a success (with its latency), a 5xx response or an I/O failure is a failure
 * that counts towards ejecting the instance. A failed idempotent request is sent again to
 * an instance not tried yet, as the service's retries allow; the last attempt's response or
 * failure is what the caller sees. The consistent-hash key is the value of the service's
 * hash header, when one is configured. Thread-safe.
 */
public class LoadBalancerInterceptor implements ClientHttpRequestInterceptor {

	private static final Logger logger = LoggerFactory.getLogger(LoadBalancerInterceptor.class);

	private static final Set<HttpMethod> IDEMPOTENT = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS,
			HttpMethod.PUT, HttpMethod.DELETE, HttpMethod.TRACE);

	private final DiscoveryClient client;

	private final Function<String, @Nullable String> hashHeaders;

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
		this.client = client;
		this.hashHeaders = hashHeaders;
	}

	@Override
	public ClientHttpResponse intercept(HttpRequest request, byte[] body, ClientHttpRequestExecution execution)
			throws IOException {
		URI uri = request.getURI();
		String service = uri.getHost();
		if (service == null) {
			throw new NoInstanceAvailableException(String.valueOf(uri),
					"a load-balanced request must name a service as its host, as in http://<service>/path");
		}
		boolean idempotent = IDEMPOTENT.contains(request.getMethod());
		ServiceCall call = start(service, hashKey(service, request));
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
				logger.debug("Request to {} of service '{}' failed; retrying on {}", call.instance().id(), service,
						next.instance().id(), ex);
				call = next;
				continue;
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
			logger.debug("{} answered {} with {}; retrying on {}", call.instance().id(), uri, response.getStatusCode(),
					next.instance().id());
			response.close();
			call = next;
		}
	}

	private @Nullable String hashKey(String service, HttpRequest request) {
		String header = this.hashHeaders.apply(service);
		return (header != null) ? request.getHeaders().getFirst(header) : null;
	}

	private ServiceCall start(String service, @Nullable String key) throws IOException {
		ServiceCall call;
		try {
			call = this.client.startCall(service, key);
		}
		catch (IllegalArgumentException ex) {
			throw new NoInstanceAvailableException(service, ex.getMessage());
		}
		catch (DiscoveryException ex) {
			NoInstanceAvailableException failure = new NoInstanceAvailableException(service,
					"the registry could not be read: " + ex.getMessage());
			failure.initCause(ex);
			throw failure;
		}
		if (call == null) {
			throw new NoInstanceAvailableException(service, "it has no UP instance");
		}
		return call;
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
			this.uri = resolve(request.getURI(), instance);
		}

		@Override
		public URI getURI() {
			return this.uri;
		}

		private static URI resolve(URI original, ServiceInstance instance) {
			StringBuilder target = new StringBuilder(instance.secure() ? "https" : original.getScheme()).append("://");
			if (original.getRawUserInfo() != null) {
				target.append(original.getRawUserInfo()).append('@');
			}
			target.append(instance.uri().getRawAuthority());
			if (original.getRawPath() != null) {
				target.append(original.getRawPath());
			}
			if (original.getRawQuery() != null) {
				target.append('?').append(original.getRawQuery());
			}
			if (original.getRawFragment() != null) {
				target.append('#').append(original.getRawFragment());
			}
			return URI.create(target.toString());
		}

	}

}
