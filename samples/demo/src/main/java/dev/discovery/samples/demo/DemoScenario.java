package dev.discovery.samples.demo;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import dev.discovery.core.DiscoveryBackend;
import dev.discovery.core.InstanceStatus;
import dev.discovery.core.ServiceInstance;
import dev.discovery.inmemory.InMemoryBackend;
import dev.discovery.samples.client.GreetingCalls;
import dev.discovery.samples.client.GreetingClientApplication;
import dev.discovery.samples.greeting.GreetingServiceApplication;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;

/**
 * Three greeting-service instances, A, B and C, and the greeting client, all in this JVM on
 * the in-memory registry. While the client calls greeting-service without pause, A is
 * drained and stopped gracefully, B is killed, and both are started again. Every step checks
 * what the client saw, and the timeline shows it. The drain is the operator's authenticated
 * {@code POST /actuator/discovery}, with a password made for this run.
 */
public final class DemoScenario {

	private static final Duration CALL_PAUSE = Duration.ofMillis(25);

	private static final Duration ROW_PERIOD = Duration.ofMillis(500);

	private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);

	private static final Duration PROPAGATION_TIMEOUT = Duration.ofSeconds(2);

	private static final String DRAIN = "{\"status\":\"OUT_OF_SERVICE\"}";

	private final PrintStream out;

	private final String operatorPassword = UUID.randomUUID().toString();

	private final Map<String, Service> services = new LinkedHashMap<>();

	private @Nullable ConfigurableApplicationContext client;

	private @Nullable Timeline timeline;

	/**
	 * Creates the scenario.
	 * @param out where the timeline and the verdict are printed
	 */
	public DemoScenario(PrintStream out) {
		this.out = out;
	}

	/**
	 * Runs every step, then stops every application it started.
	 * @return 0 when every step behaved as expected, 1 when one did not (the output names it)
	 */
	public int run() {
		ScheduledExecutorService threads = Executors.newScheduledThreadPool(2);
		String step = "start";
		try {
			this.out.println("Starting greeting-service A, B and C and the greeting client in this JVM...");
			for (String label : List.of("A", "B", "C")) {
				this.services.put(label, new Service(label, start(GreetingServiceApplication.class, 0)));
			}
			this.client = start(GreetingClientApplication.class, 0);
			GreetingCalls calls = this.client.getBean(GreetingCalls.class);
			Duration ttl = this.client.getEnvironment().getRequiredProperty("discovery.registration.ttl", Duration.class);
			await(step, "the client sees A, B and C UP", STARTUP_TIMEOUT, () -> upPorts(calls).size() == 3);
			Timeline timeline = new Timeline(this.out, columns(), calls::instances);
			this.timeline = timeline;
			this.services.values()
				.forEach((service) -> this.out.printf("  %s = %s%n", service.label, service.id(calls)));
			this.out.printf("Calls every %d ms through the @LoadBalanced RestClient; one row per %d ms:"
					+ " each instance's status in the client's view and the calls it answered.%n%n",
					CALL_PAUSE.toMillis(), ROW_PERIOD.toMillis());
			timeline.printHeader();
			threads.scheduleWithFixedDelay(() -> timeline.record(calls::call), 0, CALL_PAUSE.toMillis(),
					TimeUnit.MILLISECONDS);
			threads.scheduleAtFixedRate(timeline::printRow, ROW_PERIOD.toMillis(), ROW_PERIOD.toMillis(),
					TimeUnit.MILLISECONDS);

			step = "spread";
			note(step, "three instances UP: calls go round-robin over A, B and C");
			long mark = timeline.now();
			pause(Duration.ofSeconds(2));
			expectAnswered(step, timeline.since(mark), "A", "B", "C");

			step = "drain";
			Service a = this.services.get("A");
			note(step, "POST /actuator/discovery " + DRAIN + " on A: A stays up but gets no new calls");
			String operator = a.context().getEnvironment().getRequiredProperty("spring.security.user.name");
			RestClient.create()
				.post()
				.uri("http://127.0.0.1:" + a.port + "/actuator/discovery")
				.headers((headers) -> headers.setBasicAuth(operator, this.operatorPassword))
				.contentType(MediaType.APPLICATION_JSON)
				.body(DRAIN)
				.retrieve()
				.toBodilessEntity();
			await(step, "the client sees A OUT_OF_SERVICE", PROPAGATION_TIMEOUT,
					() -> status(calls, a.port) == InstanceStatus.OUT_OF_SERVICE);
			mark = timeline.now();
			pause(Duration.ofMillis(1500));
			expectAnswered(step, timeline.since(mark), "B", "C");

			step = "stop";
			note(step, "graceful shutdown of A: it deregisters first, then its web server drains");
			mark = timeline.now();
			a.context().close();
			a.context = null;
			await(step, "A leaves the client's view", PROPAGATION_TIMEOUT, () -> status(calls, a.port) == null);
			pause(Duration.ofSeconds(1));
			expectAnswered(step, timeline.since(mark), "B", "C");

			step = "kill";
			Service b = this.services.get("B");
			note(step, "B is killed: no deregistration, its web server stops at once; it stays listed until its "
					+ ttl.toSeconds() + " s TTL expires, and calls that reach it are retried on C");
			long killed = timeline.now();
			kill(b);
			mark = timeline.now();
			await(step, "B expires from the client's view", ttl.plus(PROPAGATION_TIMEOUT),
					() -> status(calls, b.port) == null);
			Duration listed = Duration.ofNanos(timeline.now() - killed);
			note(step, String.format("B left the view %.1f s after the kill: its registration expired", listed.toMillis() / 1e3));
			expect(step, listed.compareTo(ttl.dividedBy(2)) >= 0,
					"B to stay listed until its TTL ran out, since nothing deregistered it; it left after " + listed);
			pause(Duration.ofSeconds(1));
			expectAnswered(step, timeline.since(mark), "C");

			step = "restart";
			note(step, "A and B start again on their ports and come back into rotation");
			for (Service service : List.of(a, b)) {
				service.context = start(GreetingServiceApplication.class, service.port);
			}
			await(step, "the client sees A, B and C UP", STARTUP_TIMEOUT, () -> upPorts(calls).size() == 3);
			mark = timeline.now();
			pause(Duration.ofSeconds(2));
			expectAnswered(step, timeline.since(mark), "A", "B", "C");

			step = "every call";
			threads.shutdown();
			expect(step, threads.awaitTermination(5, TimeUnit.SECONDS), "the last call to end within 5 s");
			timeline.printRow();
			Timeline.Tally all = timeline.all();
			expect(step, all.failed() == 0, "no call to fail, but " + all.failed() + " of " + all.total()
					+ " failed, the first with: " + all.firstError());
			this.out.printf("%nAll %d calls succeeded. Every step behaved as expected.%n", all.total());
			return 0;
		}
		catch (StepFailedException ex) {
			this.out.printf("%nFAILED at step '%s': expected %s%n", ex.step, ex.getMessage());
			return 1;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.out.printf("%nFAILED at step '%s': interrupted%n", step);
			return 1;
		}
		catch (RuntimeException ex) {
			this.out.printf("%nFAILED at step '%s': %s%n", step, ex);
			return 1;
		}
		finally {
			threads.shutdownNow();
			stopAll();
		}
	}

	private ConfigurableApplicationContext start(Class<?> application, int port) {
		String name = (application == GreetingServiceApplication.class) ? GreetingCalls.SERVICE : "greeting-client";
		return new SpringApplicationBuilder(application).run("--spring.config.name=demo",
				"--spring.application.name=" + name, "--server.port=" + port,
				"--spring.security.user.password=" + this.operatorPassword);
	}

	/**
	 * Kills an instance as far as the registry and its callers can tell: its registry client
	 * stops renewing without deregistering, and its web server stops at once. Closing the
	 * application afterwards only frees its threads; it no longer writes to the registry.
	 */
	private void kill(Service service) {
		ConfigurableApplicationContext context = service.context();
		if (!(context.getBean(DiscoveryBackend.class) instanceof InMemoryBackend backend)) {
			throw new IllegalStateException("the demo needs the in-memory registry (discovery.backend=inmemory)");
		}
		backend.abandon();
		((WebServerApplicationContext) context).getWebServer().stop();
		context.close();
		service.context = null;
	}

	private Map<Integer, String> columns() {
		Map<Integer, String> columns = new LinkedHashMap<>();
		this.services.values().forEach((service) -> columns.put(service.port, service.label + " :" + service.port));
		return columns;
	}

	private void note(String step, String text) {
		timeline().note("── " + step + ": " + text);
	}

	private void expectAnswered(String step, Timeline.Tally tally, String... labels) throws StepFailedException {
		List<Integer> expected = new ArrayList<>();
		for (String label : labels) {
			expected.add(this.services.get(label).port);
		}
		expect(step, tally.failed() == 0,
				"every call to succeed, but " + tally.failed() + " failed, the first with: " + tally.firstError());
		expect(step, tally.byPort().keySet().containsAll(expected) && expected.containsAll(tally.byPort().keySet()),
				"calls answered by " + String.join(", ", labels) + " only, but they were answered by ports "
						+ tally.byPort());
	}

	private Timeline timeline() {
		if (this.timeline == null) {
			throw new IllegalStateException("the timeline starts once the applications are up");
		}
		return this.timeline;
	}

	private static List<Integer> upPorts(GreetingCalls calls) {
		return calls.instances()
			.stream()
			.filter((instance) -> instance.status() == InstanceStatus.UP)
			.map(ServiceInstance::port)
			.toList();
	}

	private static @Nullable InstanceStatus status(GreetingCalls calls, int port) {
		return calls.instances()
			.stream()
			.filter((instance) -> instance.port() == port)
			.map(ServiceInstance::status)
			.findFirst()
			.orElse(null);
	}

	private static void await(String step, String what, Duration timeout, BooleanSupplier condition)
			throws StepFailedException, InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!condition.getAsBoolean()) {
			expect(step, System.nanoTime() < deadline, "that " + what + " within " + timeout.toMillis() + " ms");
			Thread.sleep(20);
		}
	}

	private static void pause(Duration duration) throws InterruptedException {
		Thread.sleep(duration.toMillis());
	}

	private static void expect(String step, boolean condition, String expectation) throws StepFailedException {
		if (!condition) {
			throw new StepFailedException(step, expectation);
		}
	}

	private void stopAll() {
		List<ConfigurableApplicationContext> running = new ArrayList<>();
		if (this.client != null) {
			running.add(this.client);
		}
		this.services.values().stream().filter((service) -> service.context != null).forEach((service) -> running.add(service.context()));
		running.forEach(ConfigurableApplicationContext::close);
	}

	private static final class Service {

		private final String label;

		private final int port;

		private @Nullable ConfigurableApplicationContext context;

		Service(String label, ConfigurableApplicationContext context) {
			this.label = label;
			this.context = context;
			this.port = ((WebServerApplicationContext) context).getWebServer().getPort();
		}

		ConfigurableApplicationContext context() {
			if (this.context == null) {
				throw new IllegalStateException(this.label + " is not running");
			}
			return this.context;
		}

		String id(GreetingCalls calls) {
			return calls.instances()
				.stream()
				.filter((instance) -> instance.port() == this.port)
				.map(ServiceInstance::id)
				.findFirst()
				.orElse("?");
		}

	}

	private static final class StepFailedException extends Exception {

		private final String step;

		StepFailedException(String step, String expectation) {
			super(expectation);
			this.step = step;
		}

	}

}
