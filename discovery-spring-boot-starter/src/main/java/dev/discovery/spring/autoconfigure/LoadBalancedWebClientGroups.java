package dev.discovery.spring.autoconfigure;

import dev.discovery.spring.LoadBalancerExchangeFilterFunction;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.http.client.autoconfigure.service.HttpServiceClientProperties;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.support.WebClientHttpServiceGroupConfigurer;

/**
 * Balances the {@code WebClient} HTTP service groups meant for service discovery with the
 * {@link LoadBalancerExchangeFilterFunction}; which groups, is described in
 * {@link LoadBalancedHttpServiceGroups}.
 */
final class LoadBalancedWebClientGroups
		extends LoadBalancedHttpServiceGroups<WebClient.Builder, LoadBalancerExchangeFilterFunction>
		implements WebClientHttpServiceGroupConfigurer {

	LoadBalancedWebClientGroups(HttpServiceClientProperties properties,
			ObjectProvider<LoadBalancerExchangeFilterFunction> filter) {
		super(properties, filter);
	}

	@Override
	void balance(WebClient.Builder builder, String baseUrl, String service,
			LoadBalancerExchangeFilterFunction loadBalancer) {
		builder.baseUrl(baseUrl)
			.filter((request, next) -> addressedTo(service, request.url()) ? loadBalancer.filter(request, next)
					: next.exchange(request));
	}

}
