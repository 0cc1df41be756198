package dev.discovery.spring.autoconfigure;

import dev.discovery.spring.LoadBalancerInterceptor;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.http.client.autoconfigure.service.HttpServiceClientProperties;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.support.RestClientHttpServiceGroupConfigurer;

/**
 * Balances the {@code RestClient} HTTP service groups meant for service discovery with the
 * {@link LoadBalancerInterceptor}; which groups, is described in
 * {@link LoadBalancedHttpServiceGroups}.
 */
final class LoadBalancedRestClientGroups
		extends LoadBalancedHttpServiceGroups<RestClient.Builder, LoadBalancerInterceptor>
		implements RestClientHttpServiceGroupConfigurer {

	LoadBalancedRestClientGroups(HttpServiceClientProperties properties,
			ObjectProvider<LoadBalancerInterceptor> interceptor) {
		super(properties, interceptor);
	}

	@Override
	void balance(RestClient.Builder builder, String baseUrl, String service, LoadBalancerInterceptor loadBalancer) {
		builder.baseUrl(baseUrl)
			.requestInterceptor((request, body, execution) -> addressedTo(service, request.getURI())
					? loadBalancer.intercept(request, body, execution) : execution.execute(request, body));
	}

}
