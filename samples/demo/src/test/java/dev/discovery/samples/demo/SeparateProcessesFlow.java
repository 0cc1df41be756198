package dev.discovery.samples.demo;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import dev.discovery.core.DiscoveryBackend;
import dev.discovery.core.InstanceStatus;
import dev.discovery.core.ServiceInstance;
import dev.discovery.core.testserver.FreePorts;
import dev.discovery.samples.client.Spread;
import dev.discovery.samples.demo.GatewayTraffic.Exchange;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample applications as a user runs them against a registry server, each a plain
 * {@code java} command on the application's own class path with the registry's profile.
 * <p>
 * Two greeting-service processes and greeting-client: calls spread over both services;
 * after one is killed with SIGKILL, calls still succeed, and the dead instance stops being
 * UP in the client's view once its TTL (5 s in the profiles) expires: etcd drops it with
 * its lease, Consul marks it critical (DOWN) until it deregisters it.
 * <p>
 * Two greeting-service processes behind the gateway samples, Spring Cloud Gateway on
 * WebFlux and on Web MVC, each a steady stream of requests for the whole test: traffic
 * spreads over both instances; a third instance gets requests within 100 ms of the registry
 * showing it {@code UP}, or, where the machine stalled the gateway in those 100 ms, before
 * the gateway sent more than one round-robin turn elsewhere; a drained instance gets no request that starts 100 ms or more after
 * the drain call returned; a killed instance fails no request, thanks to the gateways'
 * retry filter. A third gateway with Spring Cloud LoadBalancer's own defaults
 * ({@code discovery.spring-cloud.load-balancer.enabled=false}) shows what its cache costs:
 * it offers the new instance only when its cache expires, up to 35 s later; that delay is
 * reported, not asserted, since it depends on the cache's phase. The figures are printed on
 * lines that start with {@code GATEWAY}.
 */
abstract class SeparateProcessesFlow {

	private static final Duration STARTUP = Duration.ofSeconds(90);

	private static final Duration PROPAGATION = Duration.ofMillis(100);

	private static final int CLIENTS = 2;

	private static final Duration SPRING_CLOUD_CACHE_DEADLINE = Duration.ofSeconds(40);

	private static final String SERVICE_MAIN = "dev.discovery.samples.greeting.GreetingServiceApplication";

	private static final String GATEWAY_MAIN = "dev.discovery.samples.gateway.GatewayApplication";

	private static final String GATEWAY_MVC_MAIN = "dev.discovery.samples.gatewaymvc.GatewayMvcApplication";

	private final String operatorPassword = HexFormat.of().formatHex(randomBytes());

	private SampleProcesses processes;

	private final HttpClient http = HttpClient.newHttpClient();

	/**
	 * Returns the Spring profile that selects the registry.
	 * @return {@code etcd} or {@code consul}
	 */
	protected abstract String profile();

	/**
	 * Returns the arguments that point the applications at the test's registry server.
	 * @return {@code --name=value} arguments
	 */
	protected abstract List<String> connectionArguments();

	/**
	 * Returns a backend on the test's registry server, for the test's own view of it.
	 * @return a new backend, which the caller closes
	 */
	protected abstract DiscoveryBackend backend();

	@BeforeEach
	void prepareProcesses() {
		this.processes = new SampleProcesses(profile(), connectionArguments(),
				Map.of("SPRING_SECURITY_USER_PASSWORD", this.operatorPassword));
	}

	@AfterEach
	void killProcesses() throws InterruptedException {
		this.processes.close();
	}

	@Test
	void callsSpreadOverTwoServicesAndSurviveTheKillOfOne() throws Exception {
		int[] ports = FreePorts.pick(3);
		Process first = this.processes.start("greeting-service", SERVICE_MAIN, ports[0]);
		this.processes.start("greeting-service", SERVICE_MAIN, ports[1]);
		this.processes.start("greeting-client", "dev.discovery.samples.client.GreetingClientApplication", ports[2]);
		RestClient client = RestClient.create("http://127.0.0.1:" + ports[2]);

		Awaitility.await()
			.atMost(STARTUP)
			.pollInterval(Duration.ofMillis(500))
			.ignoreExceptions()
			.untilAsserted(() -> assertThat(spread(client).answeredBy().keySet())
				.containsExactlyInAnyOrder(id(ports[0]), id(ports[1])));
		Spread spread = spread(client);
		assertThat(spread.failed()).isZero();
		assertThat(spread.answeredBy()).containsOnlyKeys(id(ports[0]), id(ports[1]));

		first.destroyForcibly();
		assertThat(first.waitFor(10, TimeUnit.SECONDS)).isTrue();

		Spread afterKill = spread(client);
		assertThat(afterKill.failed()).as("calls failed right after the kill").isZero();
		assertThat(afterKill.answeredBy()).containsOnlyKeys(id(ports[1]));
		Awaitility.await()
			.atMost(Duration.ofSeconds(15))
			.pollInterval(Duration.ofMillis(200))
			.untilAsserted(() -> assertThat(spread(client).instances())
				.filteredOn((instance) -> instance.status() == InstanceStatus.UP)
				.extracting(ServiceInstance::port)
				.containsExactly(ports[1]));
		Spread settled = spread(client);
		assertThat(settled.failed()).isZero();
		assertThat(settled.answeredBy()).containsOnlyKeys(id(ports[1]));
	}

	@Test
	void gatewaysSpreadOfferANewInstanceAtOnceStopAtADrainAndFailNothingWhenOneIsKilled() throws Exception {
		int[] ports = FreePorts.pick(6);
		String a = id(ports[0]);
		String b = id(ports[1]);
		String c = id(ports[2]);
		try (RegistryWatch registry = new RegistryWatch(backend(), "greeting-service")) {
			this.processes.start("greeting-service", SERVICE_MAIN, ports[0]);
			Process killed = this.processes.start("greeting-service", SERVICE_MAIN, ports[1]);
			this.processes.start("gateway", GATEWAY_MAIN, ports[3]);
			this.processes.start("gateway-mvc", GATEWAY_MVC_MAIN, ports[4]);
			this.processes.start("gateway", GATEWAY_MAIN, ports[5],
					"--discovery.spring-cloud.load-balancer.enabled=false");
			registry.awaitUp(a, STARTUP);
			registry.awaitUp(b, STARTUP);
			awaitHealthy(ports[3], ports[4], ports[5]);

			// Two clients per gateway leave the two cores some headroom: with four, every process
			// waking up for the new instance queued the requests for up to 100 ms, and the
			// figure measured the run queue, not the propagation.
			try (GatewayTraffic webflux = GatewayTraffic.start("webflux", ports[3], CLIENTS, Duration.ofMillis(5));
					GatewayTraffic webmvc = GatewayTraffic.start("webmvc", ports[4], CLIENTS, Duration.ofMillis(5));
					GatewayTraffic springCloudDefaults = GatewayTraffic.start("webflux with Spring Cloud's defaults",
							ports[5], 1, Duration.ofMillis(50))) {
				List<GatewayTraffic> ours = List.of(webflux, webmvc);
				for (GatewayTraffic gateway : ours) {
					Awaitility.await(gateway.name() + " reaches both instances")
						.atMost(Duration.ofSeconds(30))
						.until(() -> GatewayTraffic.answersByInstance(gateway.all()).keySet().containsAll(List.of(a, b)));
					report(gateway, "spread over the two instances: " + GatewayTraffic.answersByInstance(gateway.all()));
				}

				long started = System.nanoTime();
				this.processes.start("greeting-service", SERVICE_MAIN, ports[2]);
				long upInRegistry = registry.awaitUp(c, STARTUP);
				for (GatewayTraffic gateway : ours) {
					Exchange first = awaitAnswer(gateway, c, started, upInRegistry + Duration.ofSeconds(10).toNanos())
						.orElseThrow();
					long latency = first.start() - upInRegistry;
					List<Exchange> between = gateway.since(Math.min(upInRegistry, first.start()))
						.stream()
						.filter((exchange) -> exchange.start() < first.start())
						.toList();
					report(gateway, "new instance: first request it answered started %.1f ms after the registry"
							+ " showed it UP; the requests started in between went to %s", millis(latency),
							GatewayTraffic.answersByInstance(between));
					if (Duration.ofNanos(latency).compareTo(PROPAGATION) > 0) {
						// Late by the clock: a stale view would have sent the requests of those
						// 100 ms elsewhere; a gateway that sent almost none was stalled with the
						// machine, not stale. It may have sent the requests already in flight and
						// one round-robin turn over the two old instances elsewhere, no more.
						assertThat(between).as("%s: requests that went elsewhere before the new instance",
								gateway.name())
							.hasSizeLessThanOrEqualTo(CLIENTS + 2);
					}
				}

				long drained = drain(ports[0]);
				long drainSeen = registry.awaitNotUp(a, Duration.ofSeconds(10));
				for (GatewayTraffic gateway : ours) {
					awaitRequests(gateway, drained + PROPAGATION.toNanos(), 50);
					List<Exchange> toDrained = gateway.answeredBy(a, drained);
					report(gateway, "drain: %d requests started after the drain call returned went to the drained"
							+ " instance%s (the registry showed it drained %.1f ms after the call returned)", toDrained.size(),
							toDrained.isEmpty() ? ""
									: ", the last %.1f ms after it".formatted(millis(toDrained.get(toDrained.size() - 1).start() - drained)),
							millis(drainSeen - drained));
					assertThat(toDrained).as("%s: requests to the drained instance", gateway.name())
						.allSatisfy((e) -> assertThat(e.start() - drained).isLessThan(PROPAGATION.toNanos()));
				}

				killed.destroyForcibly();
				assertThat(killed.waitFor(10, TimeUnit.SECONDS)).isTrue();
				long kill = System.nanoTime();
				long expired = registry.awaitNotUp(b, Duration.ofSeconds(20));
				for (GatewayTraffic gateway : ours) {
					awaitRequests(gateway, expired + PROPAGATION.toNanos(), 50);
					report(gateway, "kill -9: %d requests while the registry still showed the killed instance UP"
							+ " (%.1f s), %d failed; answers since: %s", gateway.since(kill).size()
									- gateway.since(expired).size(),
							millis(expired - kill) / 1000, gateway.failures().size(),
							GatewayTraffic.answersByInstance(gateway.since(expired + PROPAGATION.toNanos())));
					assertThat(gateway.failures()).as("%s: failed requests", gateway.name()).isEmpty();
					assertThat(GatewayTraffic.answersByInstance(gateway.since(expired + PROPAGATION.toNanos())))
						.containsOnlyKeys(c);
				}

				// Only reported: the anchor's cache expires 35 s after it was last filled, at a phase
				// this test does not control, so its delay falls anywhere from 0 to 35 s and any
				// fixed lower bound fails in some runs (one answered 0.4 s after the instance was UP).
				Optional<Exchange> cached = awaitAnswer(springCloudDefaults, c, started,
						upInRegistry + SPRING_CLOUD_CACHE_DEADLINE.toNanos());
				if (cached.isPresent()) {
					long latency = cached.get().start() - upInRegistry;
					report(springCloudDefaults, "new instance: first request it answered started %.1f s after the"
							+ " registry showed it UP", millis(latency) / 1000);
				}
				else {
					report(springCloudDefaults, "new instance: not one request reached it in %d s after the registry"
							+ " showed it UP", SPRING_CLOUD_CACHE_DEADLINE.toSeconds());
				}
			}
		}
	}

	private void awaitHealthy(int... ports) {
		for (int port : ports) {
			Awaitility.await("the application on port " + port + " is healthy")
				.atMost(STARTUP)
				.pollInterval(Duration.ofMillis(200))
				.ignoreExceptions()
				.until(() -> this.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health"))
					.build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
		}
	}

	private static Optional<Exchange> awaitAnswer(GatewayTraffic gateway, String instance, long from, long deadline) {
		try {
			Awaitility.await(gateway.name() + " reaches " + instance)
				.atMost(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))
				.pollInterval(Duration.ofMillis(20))
				.until(() -> gateway.firstAnsweredBy(instance, from).isPresent());
		}
		catch (ConditionTimeoutException ex) {
			return Optional.empty();
		}
		return gateway.firstAnsweredBy(instance, from);
	}

	private static void awaitRequests(GatewayTraffic gateway, long from, int count) {
		Awaitility.await(gateway.name() + " sends " + count + " requests")
			.atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(20))
			.until(() -> gateway.since(from).size() >= count);
		long now = System.nanoTime();
		Awaitility.await(gateway.name() + " has no earlier request in flight")
			.atMost(Duration.ofSeconds(15))
			.pollInterval(Duration.ofMillis(20))
			.until(() -> gateway.isSettledUntil(now));
	}

	private long drain(int port) throws Exception {
		String credentials = Base64.getEncoder()
			.encodeToString(("operator:" + this.operatorPassword).getBytes(StandardCharsets.UTF_8));
		HttpResponse<String> response = this.http.send(
				HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/discovery"))
					.header("Authorization", "Basic " + credentials)
					.header("Content-Type", "application/json")
					.POST(HttpRequest.BodyPublishers.ofString("{\"status\":\"OUT_OF_SERVICE\"}"))
					.build(),
				HttpResponse.BodyHandlers.ofString());
		long returned = System.nanoTime();
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return returned;
	}

	private void report(GatewayTraffic gateway, String format, Object... arguments) {
		System.out.printf("GATEWAY [%s] %s: %s%n", profile(), gateway.name(), String.format(format, arguments));
	}

	private static double millis(long nanos) {
		return nanos / 1e6;
	}

	private static byte[] randomBytes() {
		byte[] bytes = new byte[16];
		ThreadLocalRandom.current().nextBytes(bytes);
		return bytes;
	}

	private static Spread spread(RestClient client) {
		Spread spread = client.get().uri("/spread?calls=20").retrieve().body(Spread.class);
		assertThat(spread).isNotNull();
		return spread;
	}

	private static String id(int port) {
		return "greeting-service-127.0.0.1-" + port;
	}

}
