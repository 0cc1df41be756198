package dev.discovery.samples.quickstart;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.discovery.consul.ConsulBackend;
import dev.discovery.core.DiscoveryBackend;
import dev.discovery.core.DiscoveryClient;
import dev.discovery.core.InstanceStatus;
import dev.discovery.core.Registration;
import dev.discovery.core.ServiceInstance;
import dev.discovery.etcd.EtcdBackend;
import dev.discovery.inmemory.InMemoryBackend;

/**
 * Registers three instances of a service, spreads calls over them, takes one out of service
 * and shows that it stops receiving calls; on the in-memory registry, or on etcd or Consul
 * when the first argument names one.
 */
public final class Quickstart {

	private Quickstart() {
	}

	/**
	 * Runs the walk-through and exits with 0 when every step behaved as expected.
	 * @param args {@code inmemory} (the default), {@code etcd} or {@code consul}
	 * @throws Exception if a step fails
	 */
	public static void main(String[] args) throws Exception {
		try (DiscoveryBackend backend = backend((args.length > 0) ? args[0] : "inmemory");
				DiscoveryClient client = new DiscoveryClient(backend)) {
			Registration first = backend.register(ServiceInstance.builder("greeting", "127.0.0.1", 8081).build());
			Registration second = backend.register(ServiceInstance.builder("greeting", "127.0.0.1", 8082).build());
			Registration third = backend.register(ServiceInstance.builder("greeting", "127.0.0.1", 8083).build());
			client.addListener("greeting", (event) -> System.out.printf("  event: %s %s%n", event.type(),
					event.instance().id()));

			System.out.println("Six calls over three UP instances, round-robin:");
			Map<String, Integer> spread = spread(client, 6);
			System.out.println("  " + spread);
			check(spread.size() == 3 && spread.values().stream().allMatch((count) -> count == 2),
					"each instance gets two calls");

			System.out.println("Taking " + second.instance().id() + " out of service:");
			second.setStatus(InstanceStatus.OUT_OF_SERVICE);
			awaitUp(client, 2);
			spread = spread(client, 6);
			System.out.println("  " + spread);
			check(!spread.containsKey(second.instance().id()), "the drained instance gets no calls");

			first.close();
			third.close();
			second.close();
			awaitUp(client, 0);
			check(client.choose("greeting").isEmpty(), "no instance is chosen once all have left");
			System.out.println("All steps behaved as expected.");
		}
	}

	private static DiscoveryBackend backend(String registry) {
		return switch (registry) {
			case "inmemory" -> new InMemoryBackend();
			case "etcd" -> EtcdBackend.builder()
				.endpoints(System.getenv().getOrDefault("ETCD_ENDPOINTS", "http://127.0.0.1:2379").split(","))
				.namespace("discovery")
				.ttl(Duration.ofSeconds(10))
				.username(System.getenv("ETCD_USERNAME"))
				.password(System.getenv("ETCD_PASSWORD"))
				.requestTimeout(Duration.ofSeconds(5))
				.build();
			case "consul" -> ConsulBackend.builder()
				.host(System.getenv().getOrDefault("CONSUL_HOST", "127.0.0.1"))
				.port(8500)
				.token(System.getenv("CONSUL_HTTP_TOKEN"))
				.ttl(Duration.ofSeconds(10))
				.deregisterCriticalAfter(Duration.ofMinutes(1))
				.build();
			default -> throw new IllegalArgumentException("Unknown registry '" + registry + "': use inmemory, etcd or consul");
		};
	}

	private static Map<String, Integer> spread(DiscoveryClient client, int calls) {
		Map<String, Integer> spread = new LinkedHashMap<>();
		for (int i = 0; i < calls; i++) {
			client.choose("greeting").ifPresent((instance) -> spread.merge(instance.id(), 1, Integer::sum));
		}
		return spread;
	}

	private static void awaitUp(DiscoveryClient client, int expected) throws InterruptedException {
		long deadline = System.nanoTime() + 5_000_000_000L;
		while (client.getInstances("greeting").size() != expected) {
			check(System.nanoTime() < deadline, "the view shows " + expected + " UP instances within 5 s");
			Thread.sleep(10);
		}
	}

	private static void check(boolean condition, String expectation) {
		if (!condition) {
			System.err.println("FAILED: expected that " + expectation);
			System.exit(1);
		}
	}

}
