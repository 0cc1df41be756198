package dev.discovery.benchmarks;

import java.time.Duration;

import dev.discovery.consul.ConsulBackend;
import dev.discovery.core.DiscoveryBackend;
import dev.discovery.core.ServiceInstance;
import dev.discovery.etcd.EtcdBackend;

/**
 * A separate JVM for the failure-detection measurement: registers one instance, prints
 * {@value #REGISTERED} and keeps the registration alive until it is killed.
 */
public final class RegisteredProcess {

	/** The line printed once the instance is registered. */
	static final String REGISTERED = "registered";

	private RegisteredProcess() {
	}

	/**
	 * Registers and waits forever.
	 * @param args {@code etcd <endpoint>} or {@code consul <host:port>}, then the service,
	 * the instance port and the TTL in seconds
	 * @throws Exception if registering failed
	 */
	public static void main(String[] args) throws Exception {
		Duration ttl = Duration.ofSeconds(Long.parseLong(args[4]));
		DiscoveryBackend backend = switch (args[0]) {
			case "etcd" -> EtcdBackend.builder().endpoints(args[1]).ttl(ttl).build();
			case "consul" -> ConsulBackend.builder()
				.host(args[1].substring(0, args[1].lastIndexOf(':')))
				.port(Integer.parseInt(args[1].substring(args[1].lastIndexOf(':') + 1)))
				.ttl(ttl)
				.build();
			default -> throw new IllegalArgumentException("Unknown registry " + args[0]);
		};
		backend.register(ServiceInstance.builder(args[2], "127.0.0.1", Integer.parseInt(args[3])).build());
		System.out.println(REGISTERED);
		System.out.flush();
		Thread.currentThread().join();
	}

}
