package dev.discovery.spring.cloud;

import java.util.ArrayList;
import java.util.List;

import dev.discovery.core.DiscoveryClient;

import org.springframework.cloud.client.ServiceInstance;

/**
 * Spring Cloud's blocking {@link org.springframework.cloud.client.discovery.DiscoveryClient}
 * over ours: the {@code UP} instances of a service, from the snapshot our client keeps
 * current by a watch, so only the first lookup of a service goes to the registry. A name
 * that breaks our naming rule has no instances. Thread-safe.
 */
public class SpringCloudDiscoveryClient implements org.springframework.cloud.client.discovery.DiscoveryClient {

	private final DiscoveryClient client;

	/**
	 * Creates the client.
	 * @param client our client, which keeps the snapshots
	 */
	public SpringCloudDiscoveryClient(DiscoveryClient client) {
		this.client = client;
	}

	@Override
	public String description() {
		return "discovery (push-fed snapshots of the registry)";
	}

	/**
	 * Lists the {@code UP} instances of a service.
	 * @param serviceId the service name (any case)
	 * @return the instances, sorted by id; empty for an unknown or invalid name
	 * @throws dev.discovery.core.DiscoveryException if this is the first lookup of the
	 * service and the registry is unreachable
	 */
	@Override
	public List<ServiceInstance> getInstances(String serviceId) {
		return instances(this.client, serviceId);
	}

	/**
	 * Lists the services that have instances, from the registry.
	 * @return the service names
	 * @throws dev.discovery.core.DiscoveryException if the registry is unreachable
	 */
	@Override
	public List<String> getServices() {
		return List.copyOf(this.client.getServices());
	}

	static List<ServiceInstance> instances(DiscoveryClient client, String serviceId) {
		List<dev.discovery.core.ServiceInstance> up;
		try {
			up = client.getInstances(serviceId);
		}
		catch (IllegalArgumentException ex) {
			return List.of();
		}
		return cloudInstances(up);
	}

	static List<ServiceInstance> cloudInstances(List<dev.discovery.core.ServiceInstance> up) {
		List<ServiceInstance> instances = new ArrayList<>(up.size());
		for (dev.discovery.core.ServiceInstance instance : up) {
			instances.add(CloudServiceInstance.of(instance));
		}
		return instances;
	}

}
