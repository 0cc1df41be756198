package dev.discovery.spring.cloud;

import dev.discovery.core.DiscoveryClient;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.ReactiveDiscoveryClient;

/**
 * Spring Cloud's {@link ReactiveDiscoveryClient} over ours, with the answers of
 * {@link SpringCloudDiscoveryClient}. Each lookup runs on the bounded-elastic scheduler,
 * since the first lookup of a service and every service listing read the registry; an
 * event loop is never blocked. Thread-safe.
 */
public class SpringCloudReactiveDiscoveryClient implements ReactiveDiscoveryClient {

	private final DiscoveryClient client;

	/**
	 * Creates the client.
	 * @param client our client, which keeps the snapshots
	 */
	public SpringCloudReactiveDiscoveryClient(DiscoveryClient client) {
		this.client = client;
	}

	@Override
	public String description() {
		return "discovery (push-fed snapshots of the registry, reactive)";
	}

	/**
	 * Emits the {@code UP} instances of a service, sorted by id; nothing for an unknown or
	 * invalid name; an error when this is the first lookup and the registry is unreachable.
	 * @param serviceId the service name (any case)
	 * @return the instances
	 */
	@Override
	public Flux<ServiceInstance> getInstances(String serviceId) {
		return Flux.defer(() -> Flux.fromIterable(SpringCloudDiscoveryClient.instances(this.client, serviceId)))
			.subscribeOn(Schedulers.boundedElastic());
	}

	/**
	 * Emits the services that have instances, or an error when the registry is unreachable.
	 * @return the service names
	 */
	@Override
	public Flux<String> getServices() {
		return Flux.defer(() -> Flux.fromIterable(this.client.getServices())).subscribeOn(Schedulers.boundedElastic());
	}

}
