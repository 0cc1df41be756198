package dev.discovery.spring;

import java.net.URI;
import java.util.Set;
import java.util.function.Function;

import dev.discovery.core.DiscoveryClient;
import dev.discovery.core.DiscoveryException;
import dev.discovery.core.ServiceCall;
import dev.discovery.core.ServiceInstance;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;

/**
 * The rules that every load-balanced client of the starter applies to a request for
 * {@code http://<service>/path}: the host names the service, the instance comes from
 * {@link DiscoveryClient#startCall(String, String)} with the value of the service's hash
 * header as key, the request goes to that instance with path, query and fragment kept, and
 * only an idempotent request may be sent again.
 */
final class ServiceRequests {

	private static final Set<HttpMethod> IDEMPOTENT = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS,
			HttpMethod.PUT, HttpMethod.DELETE, HttpMethod.TRACE);

	private final DiscoveryClient client;

	private final Function<String, @Nullable String> hashHeaders;

	ServiceRequests(DiscoveryClient client, Function<String, @Nullable String> hashHeaders) {
		this.client = client;
		this.hashHeaders = hashHeaders;
	}

	/**
	 * Starts the first attempt of a request.
	 * @param uri the request's URI, whose host is the service
	 * @param headers the request's headers, which may carry the hash key
	 * @return the attempt, open
	 * @throws NoInstanceAvailableException if the URI has no host, the service has no
	 * instance to call, or the registry could not be read
	 */
	ServiceCall start(URI uri, HttpHeaders headers) throws NoInstanceAvailableException {
		String service = uri.getHost();
		if (service == null) {
			throw new NoInstanceAvailableException(String.valueOf(uri),
					"a load-balanced request must name a service as its host, as in http://<service>/path");
		}
		String header = this.hashHeaders.apply(service);
		String key = (header != null) ? headers.getFirst(header) : null;
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

	/**
	 * Returns whether a failed request with this method may be sent to another instance.
	 * @param method the request method
	 * @return {@code true} for GET, HEAD, OPTIONS, PUT, DELETE and TRACE
	 */
	static boolean mayRetry(HttpMethod method) {
		return IDEMPOTENT.contains(method);
	}

	/**
	 * Returns the URI of a request addressed to one instance: the instance's host and port,
	 * {@code https} when the instance is secure, otherwise the original scheme, and the
	 * original user info, path, query and fragment, still encoded.
	 * @param original the URI that names the service
	 * @param instance the chosen instance
	 * @return the URI to send the request to
	 */
	static URI resolve(URI original, ServiceInstance instance) {
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
