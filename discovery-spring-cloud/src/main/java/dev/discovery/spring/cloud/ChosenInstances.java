package dev.discovery.spring.cloud;

import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.RequestData;
import org.springframework.cloud.client.loadbalancer.RequestDataContext;

/**
 * Remembers, in the attributes of the request being balanced, the instance
 * {@link BalancingPolicyLoadBalancer} chose for it. Clients may hand back a wrapper of
 * that instance (Gateway Server Web MVC does), and may retry without saying which instance
 * they tried (both gateways do); the request's attributes live as long as the request and
 * through its retries, so the call can be found again. Stateless.
 */
final class ChosenInstances {

	private static final String ATTRIBUTE = ChosenInstances.class.getName() + ".chosen";

	private ChosenInstances() {
	}

	/**
	 * Notes the instance chosen for a request, when the request carries attributes.
	 * @param context the request's context
	 * @param chosen the chosen instance
	 */
	static void remember(@Nullable Object context, CloudServiceInstance chosen) {
		Map<String, Object> attributes = attributesOf(context);
		if (attributes != null) {
			try {
				attributes.put(ATTRIBUTE, chosen);
			}
			catch (UnsupportedOperationException ex) {
				// A client that passes fixed attributes gets no help finding the call again.
			}
		}
	}

	/**
	 * Returns the instance last chosen for a request.
	 * @param context the request's context
	 * @return it, or {@code null} when none was noted
	 */
	static @Nullable CloudServiceInstance lastChosen(@Nullable Object context) {
		Map<String, Object> attributes = attributesOf(context);
		return (attributes != null && attributes.get(ATTRIBUTE) instanceof CloudServiceInstance chosen) ? chosen
				: null;
	}

	/**
	 * Returns the instance a client reports as the one it called: ours, or the one noted
	 * for the request when the client reports a wrapper at the same address.
	 * @param reported the instance the client reports
	 * @param context the request's context
	 * @return our instance, or {@code null} when another balancer chose it
	 */
	static @Nullable CloudServiceInstance of(@Nullable ServiceInstance reported, @Nullable Object context) {
		if (reported instanceof CloudServiceInstance ours) {
			return ours;
		}
		CloudServiceInstance chosen = lastChosen(context);
		return (reported != null && chosen != null && chosen.getHost().equals(reported.getHost())
				&& chosen.getPort() == reported.getPort()) ? chosen : null;
	}

	private static @Nullable Map<String, Object> attributesOf(@Nullable Object context) {
		RequestData request = (context instanceof RequestDataContext data) ? data.getClientRequest() : null;
		return (request != null) ? request.getAttributes() : null;
	}

}
