package dev.discovery.spring;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import dev.discovery.core.DiscoveryClient;
import dev.discovery.core.DiscoveryException;
import dev.discovery.core.ServiceInstance;
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
 * {@link DiscoveryClient#choose(String)}. When the connection to the chosen instance fails
 * and the method is idempotent, the request is sent once more to another instance.
 * Thread-safe.
 */
public class LoadBalancerInterceptor implements ClientHttpRequestInterceptor {

	private static final Logger logger = LoggerFactory.getLogger(LoadBalancerInterceptor.class);

	private static final Set<HttpMethod> IDEMPOTENT = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS,
			HttpMethod.PUT, HttpMethod.DELETE, HttpMethod.TRACE);

	private final DiscoveryClient client;

	/**
	 * Creates the interceptor.
	 * @param client the client that chooses instances
	 */
	public LoadBalancerInterceptor(DiscoveryClient client) {
		this.client = client;
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
		ServiceInstance first = choose(service);
		try {
			return execution.execute(new InstanceRequest(request, first), body);
		}
		catch (ConnectException | NoRouteToHostException ex) {
			if (!IDEMPOTENT.contains(request.getMethod())) {
				throw ex;
			}
			Optional<ServiceInstance> second = another(service, first);
			if (second.isEmpty()) {
				throw ex;
			}
			logger.debug("Could not connect to {} of service '{}'; retrying on {}", first.id(), service,
					second.get().id(), ex);
			return execution.execute(new InstanceRequest(request, second.get()), body);
		}
	}

	private ServiceInstance choose(String service) throws IOException {
		try {
			return this.client.choose(service)
				.orElseThrow(() -> new NoInstanceAvailableException(service, "it has no UP instance"));
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
	}

	private Optional<ServiceInstance> another(String service, ServiceInstance failed) {
		List<ServiceInstance> instances = this.client.getInstances(service);
		for (int attempt = 0; attempt < instances.size(); attempt++) {
			Optional<ServiceInstance> candidate = this.client.choose(service);
			if (candidate.isPresent() && !candidate.get().id().equals(failed.id())) {
				return candidate;
			}
		}
		return Optional.empty();
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
