package dev.discovery.samples.demo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import dev.discovery.samples.greeting.GreetingServiceApplication.Greeting;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * A steady stream of {@code GET /greeting} requests through one gateway, from a few clients
 * that each send one request at a time with a short pause between them: several requests
 * are in flight at once, so one slow answer does not leave a gap in the stream, and never
 * more than there are clients, so a slow gateway is not buried under a backlog. Every exchange is recorded with its start and end ({@link System#nanoTime()}) and
 * either the instance that answered or why it failed, so that a test can tell what the
 * gateway did around a change in the registry.
 */
final class GatewayTraffic implements AutoCloseable {

	private static final JsonMapper json = JsonMapper.builder().build();

	private final String name;

	private final URI uri;

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(2))
		.build();

	private final ScheduledExecutorService sender;

	private final List<Exchange> exchanges = new ArrayList<>();

	private final Map<Object, Long> inFlight = new ConcurrentHashMap<>();

	private GatewayTraffic(String name, int port, int clients, Duration pause) {
		this.name = name;
		this.uri = URI.create("http://127.0.0.1:" + port + "/greeting");
		this.sender = Executors.newScheduledThreadPool(clients, (task) -> new Thread(task, "traffic-" + name));
		for (int i = 0; i < clients; i++) {
			this.sender.scheduleWithFixedDelay(this::send, 0, pause.toNanos(), TimeUnit.NANOSECONDS);
		}
	}

	/**
	 * Starts sending.
	 * @param name the gateway's name in reports
	 * @param port the gateway's port
	 * @param clients how many clients send, each one request at a time
	 * @param pause the pause of a client between an answer and its next request
	 * @return the running stream
	 */
	static GatewayTraffic start(String name, int port, int clients, Duration pause) {
		return new GatewayTraffic(name, port, clients, pause);
	}

	String name() {
		return this.name;
	}

	/**
	 * Returns every exchange so far.
	 * @return them, oldest first
	 */
	List<Exchange> all() {
		return matching((exchange) -> true);
	}

	/**
	 * Returns the exchanges that started at or after a time.
	 * @param from a {@link System#nanoTime()} value
	 * @return them, oldest first
	 */
	List<Exchange> since(long from) {
		return matching((exchange) -> exchange.start() >= from);
	}

	/**
	 * Returns every failed exchange so far.
	 * @return them, oldest first
	 */
	List<Exchange> failures() {
		return matching((exchange) -> exchange.instance() == null);
	}

	/**
	 * Returns the first exchange, started at or after a time, that an instance answered,
	 * once every request started before it has been answered or has failed.
	 * @param instance the instance id
	 * @param from a {@link System#nanoTime()} value
	 * @return it, if there is one and no earlier request is still in flight
	 */
	Optional<Exchange> firstAnsweredBy(String instance, long from) {
		return since(from).stream()
			.filter((exchange) -> instance.equals(exchange.instance()))
			.findFirst()
			.filter((exchange) -> isSettledUntil(exchange.start()));
	}

	/**
	 * Tells whether every request started before a time has been answered or has failed.
	 * @param time a {@link System#nanoTime()} value
	 * @return {@code true} if none of them is still in flight
	 */
	boolean isSettledUntil(long time) {
		return this.inFlight.values().stream().allMatch((start) -> start >= time);
	}

	/**
	 * Returns the exchanges, started at or after a time, that an instance answered.
	 * @param instance the instance id
	 * @param from a {@link System#nanoTime()} value
	 * @return them, oldest first
	 */
	List<Exchange> answeredBy(String instance, long from) {
		return since(from).stream().filter((exchange) -> instance.equals(exchange.instance())).toList();
	}

	/**
	 * Counts the answers of each instance among exchanges.
	 * @param exchanges the exchanges
	 * @return the number of answers by instance id
	 */
	static Map<String, Long> answersByInstance(List<Exchange> exchanges) {
		return exchanges.stream()
			.filter((exchange) -> exchange.instance() != null)
			.collect(Collectors.groupingBy(Exchange::instance, TreeMap::new, Collectors.counting()));
	}

	private List<Exchange> matching(Predicate<Exchange> filter) {
		synchronized (this.exchanges) {
			return this.exchanges.stream().filter(filter).sorted(Comparator.comparingLong(Exchange::start)).toList();
		}
	}

	private void send() {
		Object request = new Object();
		long start = System.nanoTime();
		this.inFlight.put(request, start);
		try {
			record(start, this.http.send(HttpRequest.newBuilder(this.uri).timeout(Duration.ofSeconds(10)).GET().build(),
					HttpResponse.BodyHandlers.ofString()), null);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (IOException ex) {
			record(start, null, ex);
		}
		finally {
			this.inFlight.remove(request);
		}
	}

	private void record(long start, @Nullable HttpResponse<String> response, @Nullable Throwable failure) {
		String instance = null;
		String reason = (failure != null) ? failure.toString() : null;
		if (response != null && response.statusCode() == 200) {
			try {
				instance = json.readValue(response.body(), Greeting.class).instance();
			}
			catch (JacksonException ex) {
				reason = "unreadable answer " + response.body() + ": " + ex;
			}
		}
		else if (response != null) {
			reason = "HTTP " + response.statusCode() + ": " + response.body();
		}
		Exchange exchange = new Exchange(start, System.nanoTime(), instance, reason);
		synchronized (this.exchanges) {
			this.exchanges.add(exchange);
		}
	}

	/**
	 * Stops sending.
	 * @throws InterruptedException if interrupted while waiting for the clients to stop
	 */
	@Override
	public void close() throws InterruptedException {
		this.sender.shutdownNow();
		this.sender.awaitTermination(15, TimeUnit.SECONDS);
	}

	/**
	 * One request and its outcome.
	 *
	 * @param start when it was sent, {@link System#nanoTime()}
	 * @param end when its answer or failure arrived
	 * @param instance the id of the instance that answered, {@code null} if it failed
	 * @param failure why it failed, {@code null} if it was answered
	 */
	record Exchange(long start, long end, @Nullable String instance, @Nullable String failure) {
	}

}
