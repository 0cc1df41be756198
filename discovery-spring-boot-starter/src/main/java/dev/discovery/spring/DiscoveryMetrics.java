package dev.discovery.spring;

import java.util.List;
import java.util.function.Supplier;

import dev.discovery.core.BackendHealth;
import dev.discovery.core.DiscoveryBackend;
import dev.discovery.core.DiscoveryClient;
import dev.discovery.core.InstanceStatus;
import dev.discovery.core.LoadBalancer;
import dev.discovery.core.RegistrationState;
import dev.discovery.core.ServiceEvent;
import dev.discovery.core.ServiceInstance;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;

/**
 * Micrometer meters of service discovery:
 * <ul>
 * <li>{@code discovery.instances} (gauge; tags {@code service}, {@code status}) for every
 * service this application looks up;</li>
 * <li>{@code discovery.choices} (counter; tags {@code service}, {@code strategy});</li>
 * <li>{@code discovery.watch.events} (counter; tags {@code service}, {@code type});</li>
 * <li>{@code discovery.backend.errors} (counter; tag {@code backend}): failed registry calls
 * as the backend counts them in its health details under {@code errors};</li>
 * <li>{@code discovery.registration.state} (gauge; tag {@code state}): 1 for this
 * application's current registration state, 0 for the others.</li>
 * </ul>
 * Counting a choice is one lock-free increment on the hot path.
 */
public class DiscoveryMetrics implements LoadBalancerCustomizer {

	private final MeterRegistry registry;

	private final Supplier<DiscoveryClient> client;

	/**
	 * Creates the meters that do not depend on a service.
	 * @param registry where meters are registered
	 * @param backend the registry backend, for its error count
	 * @param client supplies the discovery client, resolved lazily since it depends on the
	 * balancers this class customises
	 * @param selfRegistration this application's registration, or {@code null}
	 */
	public DiscoveryMetrics(MeterRegistry registry, DiscoveryBackend backend, Supplier<DiscoveryClient> client,
			@Nullable SelfRegistration selfRegistration) {
		this.registry = registry;
		this.client = client;
		String backendName = backend.health().backend();
		FunctionCounter.builder("discovery.backend.errors", backend, DiscoveryMetrics::errors)
			.description("Failed calls to the registry")
			.tag("backend", backendName)
			.register(registry);
		if (selfRegistration != null) {
			for (RegistrationState state : RegistrationState.values()) {
				Gauge.builder("discovery.registration.state", selfRegistration, (self) -> isIn(self, state))
					.description("1 for the current state of this application's registration")
					.tag("state", state.name())
					.register(registry);
			}
		}
	}

	/**
	 * Starts counting the watch events of every service the client watches.
	 * @param client the discovery client
	 */
	public void observe(DiscoveryClient client) {
		client.addListener(this::count);
	}

	/**
	 * Counts the choices of a service's balancer and registers the instance gauges of the
	 * service.
	 */
	@Override
	public LoadBalancer customize(String service, String strategy, LoadBalancer balancer) {
		for (InstanceStatus status : InstanceStatus.values()) {
			Gauge.builder("discovery.instances", () -> count(service, status))
				.description("Instances of a service in a status")
				.tags("service", service, "status", status.name())
				.register(this.registry);
		}
		Counter choices = Counter.builder("discovery.choices")
			.description("Instances chosen by the load balancer")
			.tags("service", service, "strategy", strategy)
			.register(this.registry);
		return (candidates, key) -> {
			ServiceInstance chosen = balancer.choose(candidates, key);
			choices.increment();
			return chosen;
		};
	}

	private void count(ServiceEvent event) {
		this.registry.counter("discovery.watch.events", "service", event.instance().service(), "type",
				event.type().name()).increment();
	}

	private long count(String service, InstanceStatus status) {
		List<ServiceInstance> instances = this.client.get().getAllInstances(service);
		return instances.stream().filter((instance) -> instance.status() == status).count();
	}

	private static double errors(DiscoveryBackend backend) {
		BackendHealth health = backend.health();
		return (health.details().get("errors") instanceof Number errors) ? errors.doubleValue() : 0;
	}

	private static double isIn(SelfRegistration self, RegistrationState state) {
		return self.registration().map((registration) -> registration.state() == state).orElse(false) ? 1 : 0;
	}

}
