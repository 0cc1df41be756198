package dev.discovery.spring.cloud;

import java.util.List;

import dev.discovery.core.DiscoveryClient;
import dev.discovery.core.ServiceEvent;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;

/**
 * The {@code UP} instances of one service for Spring Cloud LoadBalancer, pushed by our
 * watch: a hot stream that replays the latest list to every subscriber and emits a new
 * list as soon as the service changes. There is no cache with a time to live in front of
 * it, so a new instance is offered, and a removed one withdrawn, within the watch's
 * propagation delay. The first subscriber triggers the first lookup, off the caller's
 * thread. Thread-safe; closing it ends the subscription to the watch.
 */
public class WatchedInstanceListSupplier implements ServiceInstanceListSupplier, DisposableBean {

	private static final Logger logger = LoggerFactory.getLogger(WatchedInstanceListSupplier.class);

	private final DiscoveryClient client;

	private final String service;

	private final Sinks.Many<List<ServiceInstance>> lists = Sinks.many().replay().latest();

	private final Flux<List<ServiceInstance>> firstSubscription;

	private volatile boolean following;

	private @Nullable List<dev.discovery.core.ServiceInstance> published;

	private @Nullable AutoCloseable subscription;

	private boolean closed;

	/**
	 * Creates the supplier; nothing is read until the first subscriber arrives.
	 * @param client our client, which keeps the service's snapshot
	 * @param service the service name
	 */
	public WatchedInstanceListSupplier(DiscoveryClient client, String service) {
		this.client = client;
		this.service = service;
		this.firstSubscription = Flux.<List<ServiceInstance>>defer(() -> {
			follow();
			return Flux.empty();
		}).subscribeOn(Schedulers.boundedElastic()).concatWith(this.lists.asFlux());
	}

	@Override
	public String getServiceId() {
		return this.service;
	}

	/**
	 * Emits the current list of {@code UP} instances and then every new one; an error when
	 * the first lookup finds the registry unreachable.
	 * @return the hot stream of lists
	 */
	@Override
	public Flux<List<ServiceInstance>> get() {
		return this.following ? this.lists.asFlux() : this.firstSubscription;
	}

	/**
	 * Stops following the service.
	 */
	@Override
	public synchronized void destroy() throws Exception {
		this.closed = true;
		AutoCloseable current = this.subscription;
		this.subscription = null;
		if (current != null) {
			current.close();
		}
	}

	private void follow() {
		this.client.getInstances(this.service);
		synchronized (this) {
			if (this.subscription != null || this.closed) {
				return;
			}
			this.subscription = this.client.addListener(this.service, this::changed);
			publish();
			this.following = true;
		}
	}

	private void changed(ServiceEvent event) {
		publish();
	}

	private synchronized void publish() {
		List<dev.discovery.core.ServiceInstance> up = this.client.getInstances(this.service);
		if (up == this.published) {
			return;
		}
		this.published = up;
		Sinks.EmitResult result = this.lists.tryEmitNext(SpringCloudDiscoveryClient.cloudInstances(up));
		if (result.isFailure()) {
			logger.warn("Could not pass the instances of service '{}' to Spring Cloud LoadBalancer: {}", this.service,
					result);
		}
	}

}
