package dev.discovery.spring.autoconfigure;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.http.client.autoconfigure.HttpClientProperties;
import org.springframework.boot.http.client.autoconfigure.service.HttpServiceClientProperties;
import org.springframework.core.Ordered;
import org.springframework.util.StringUtils;
import org.springframework.web.service.registry.HttpServiceGroupConfigurer;

/**
 * Balances the HTTP service client groups that are meant for service discovery, by their
 * {@code spring.http.serviceclient.<group>.base-url}:
 * <ul>
 * <li>none: the group name is the service, and the base URL becomes
 * {@code http://<group>};</li>
 * <li>{@code lb://<service>[/path]}: the base URL becomes
 * {@code http://<service>[/path]};</li>
 * <li>{@code http://<service>[/path]} where the host is a single DNS label (letters,
 * digits and hyphens, no dot), other than {@code localhost}, and no port is given.</li>
 * </ul>
 * Any other base URL, such as {@code http://example.com}, {@code http://orders:8080},
 * {@code http://10.0.0.7} or an {@code https} URL, is left alone, as is a group whose name is
 * not a host name. In a balanced group only the requests addressed to the service's host go
 * through the balancer; a request to another absolute URL is sent as it is. Runs after
 * Spring Boot's configurers, which set the configured base URL, and after those of the
 * default order, so that the balancer is the group's last interceptor or filter.
 *
 * @param <B> the type of the groups' client builders
 * @param <L> the type of the interceptor or filter that balances
 */
abstract class LoadBalancedHttpServiceGroups<B, L> implements HttpServiceGroupConfigurer<B> {

	/**
	 * The order of the configurer: after Spring Boot's ({@code HIGHEST_PRECEDENCE + 10} and
	 * 0) and after configurers of the default order 0.
	 */
	static final int ORDER = Ordered.LOWEST_PRECEDENCE - 100;

	private static final Pattern SINGLE_LABEL = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?");

	private final HttpServiceClientProperties properties;

	private final ObjectProvider<? extends L> loadBalancer;

	LoadBalancedHttpServiceGroups(HttpServiceClientProperties properties, ObjectProvider<? extends L> loadBalancer) {
		this.properties = properties;
		this.loadBalancer = loadBalancer;
	}

	@Override
	public void configureGroups(Groups<B> groups) {
		groups.forEachGroup((group, builder, proxyFactory) -> {
			HttpClientProperties settings = this.properties.get(group.name());
			URI baseUrl = balancedBaseUrl(group.name(), (settings != null) ? settings.getBaseUrl() : null);
			if (baseUrl != null) {
				balance(builder, baseUrl.toString(), baseUrl.getHost(), this.loadBalancer.getObject());
			}
		});
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	/**
	 * Sets the base URL of a group's builder and adds the balancer for the requests
	 * addressed to the service.
	 * @param builder the group's client builder
	 * @param baseUrl the base URL, {@code http://<service>[/path]}
	 * @param service the service name
	 * @param loadBalancer the interceptor or filter that balances
	 */
	abstract void balance(B builder, String baseUrl, String service, L loadBalancer);

	/**
	 * Returns the base URL of a balanced group.
	 * @param group the group name
	 * @param configured the configured base URL, or {@code null}
	 * @return {@code http://<service>[/path]}, or {@code null} when the group is not meant
	 * for service discovery
	 */
	static @Nullable URI balancedBaseUrl(String group, @Nullable String configured) {
		URI uri = parse(StringUtils.hasText(configured) ? configured : "http://" + group);
		if (uri == null || uri.getHost() == null) {
			return null;
		}
		if ("lb".equalsIgnoreCase(uri.getScheme())) {
			return parse("http:" + uri.getRawSchemeSpecificPart());
		}
		boolean serviceName = SINGLE_LABEL.matcher(uri.getHost()).matches()
				&& !"localhost".equalsIgnoreCase(uri.getHost());
		return ("http".equalsIgnoreCase(uri.getScheme()) && serviceName && uri.getPort() == -1) ? uri : null;
	}

	/**
	 * Returns whether a request of a balanced group is addressed to its service.
	 * @param service the service of the group
	 * @param uri the request's URI
	 * @return whether its host is the service name, in any case
	 */
	static boolean addressedTo(String service, URI uri) {
		return service.equalsIgnoreCase(uri.getHost());
	}

	private static @Nullable URI parse(String uri) {
		try {
			return new URI(uri);
		}
		catch (URISyntaxException ex) {
			return null;
		}
	}

}
