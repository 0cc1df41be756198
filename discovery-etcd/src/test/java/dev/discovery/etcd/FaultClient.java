package dev.discovery.etcd;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import com.sun.net.httpserver.HttpServer;
import dev.discovery.core.BackendHealth;
import dev.discovery.core.Registration;
import dev.discovery.core.RegistrationState;
import dev.discovery.core.ServiceInstance;
import org.jspecify.annotations.Nullable;

/**
 * A client JVM of the fault suite, started by {@link FaultClientProcess}: it serves a few
 * instances with the JDK's HTTP server, registers them with an {@link EtcdBackend}, and
 * reports on standard output, one line each, what its application code would see:
 * <ul>
 * <li>{@code ready <id>=<port> ...} once every instance is registered;</li>
 * <li>{@code state <id> <RegistrationState>} when a registration's state changes;</li>
 * <li>{@code lease <hex>} when the backend's lease changes;</li>
 * <li>{@code health fresh} or {@code health stale <reason>} when reachability changes;</li>
 * <li>{@code exception <call>: <exception>} for every exception that reached it, from an
 * API call or uncaught on any thread;</li>
 * <li>{@code stopped} after {@code stop} on standard input (or its end) closed the backend.</li>
 * </ul>
 * Arguments: name, service, number of instances, TTL in seconds, then the etcd endpoints.
 */
public final class FaultClient {

	static final String READY = "ready";

	static final String STATE = "state";

	static final String LEASE = "lease";

	static final String HEALTH = "health";

	static final String FRESH = "fresh";

	static final String STALE = "stale";

	static final String EXCEPTION = "exception";

	static final String STOP = "stop";

	static final String STOPPED = "stopped";

	static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(2);

	private static final Duration SAMPLE_INTERVAL = Duration.ofMillis(20);

	private final PrintStream out;

	private final Map<String, RegistrationState> reportedStates = new HashMap<>();

	private @Nullable String reportedLease;

	private @Nullable Boolean reportedFresh;

	private FaultClient(PrintStream out) {
		this.out = out;
	}

	/**
	 * Runs the client until {@code stop} arrives on standard input or the input ends.
	 * @param args name, service, instances, TTL seconds, endpoints...
	 * @throws IOException if standard input cannot be read
	 */
	public static void main(String[] args) throws IOException {
		FaultClient client = new FaultClient(System.out);
		Thread.setDefaultUncaughtExceptionHandler(
				(thread, ex) -> client.report(EXCEPTION + " uncaught in " + thread.getName() + ": " + ex));
		int exitCode = client.run(args[0], args[1], Integer.parseInt(args[2]), Duration.ofSeconds(Long.parseLong(args[3])),
				Arrays.asList(args).subList(4, args.length));
		System.exit(exitCode);
	}

	private int run(String name, String service, int count, Duration ttl, List<String> endpoints) throws IOException {
		EtcdBackend backend = call("build",
				() -> EtcdBackend.builder().endpoints(endpoints).ttl(ttl).requestTimeout(REQUEST_TIMEOUT).build());
		if (backend == null) {
			return 1;
		}
		List<HttpServer> servers = new ArrayList<>();
		List<Registration> registrations = new ArrayList<>();
		StringBuilder ready = new StringBuilder(READY);
		for (int i = 0; i < count; i++) {
			HttpServer server = serve(name + "-" + i);
			servers.add(server);
			ServiceInstance instance = ServiceInstance.builder(service, "127.0.0.1", server.getAddress().getPort())
				.id(name + "-" + i)
				.build();
			Registration registration = call("register " + instance.id(), () -> backend.register(instance));
			if (registration != null) {
				registrations.add(registration);
				ready.append(' ').append(instance.id()).append('=').append(instance.port());
			}
		}
		ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
		sampler.scheduleWithFixedDelay(() -> sample(backend, registrations), 0, SAMPLE_INTERVAL.toMillis(),
				TimeUnit.MILLISECONDS);
		report(ready.toString());
		awaitStop();
		sampler.shutdownNow();
		call("close", () -> {
			backend.close();
			return STOPPED;
		});
		servers.forEach((server) -> server.stop(0));
		report(STOPPED);
		return 0;
	}

	/**
	 * Starts an HTTP server on a free loopback port that answers every request with 200 and
	 * an id.
	 * @param id the body of every answer
	 * @return the running server
	 * @throws IOException if no port could be bound
	 */
	static HttpServer serve(String id) throws IOException {
		HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		byte[] body = id.getBytes(StandardCharsets.UTF_8);
		server.createContext("/", (exchange) -> {
			exchange.sendResponseHeaders(200, body.length);
			try (OutputStream response = exchange.getResponseBody()) {
				response.write(body);
			}
		});
		server.start();
		return server;
	}

	private void sample(EtcdBackend backend, List<Registration> registrations) {
		for (Registration registration : registrations) {
			RegistrationState state = call("state", registration::state);
			String id = registration.instance().id();
			if (state != null && this.reportedStates.put(id, state) != state) {
				report(STATE + " " + id + " " + state);
			}
		}
		BackendHealth health = call("health", backend::health);
		if (health == null) {
			return;
		}
		String lease = (String) health.details().get("leaseId");
		if (lease != null && !lease.equals(this.reportedLease)) {
			this.reportedLease = lease;
			report(LEASE + " " + lease);
		}
		if (!Objects.equals(this.reportedFresh, health.reachable())) {
			this.reportedFresh = health.reachable();
			report(HEALTH + " " + (health.reachable() ? FRESH : STALE + " " + health.error()));
		}
	}

	private void awaitStop() throws IOException {
		BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
		String line;
		do {
			line = in.readLine();
		}
		while (line != null && !line.equals(STOP));
	}

	private <T> @Nullable T call(String what, Supplier<T> apiCall) {
		try {
			return apiCall.get();
		}
		catch (RuntimeException ex) {
			report(EXCEPTION + " " + what + ": " + ex);
			return null;
		}
	}

	private synchronized void report(String line) {
		this.out.println(line.replace('\n', ' '));
		this.out.flush();
	}

}
