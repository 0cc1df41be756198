package dev.discovery.consul.testserver;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import org.jspecify.annotations.Nullable;

/**
 * A stand-in for a Consul agent's HTTP API on 127.0.0.1, for what a real agent never sends:
 * answers with fields it does not know yet, or cut short. It serves the leader, the catalog's
 * services and the health of services, the same answer for every service, with
 * {@code X-Consul-Index} and blocking queries: a query with the current index waits until
 * the answers change or its {@code wait} ends. The state of every check is always an empty
 * list. It records the {@code Accept-Encoding} of the requests it answers, and never
 * compresses. It may serve https, over HTTP/1.1 only, as a proxy in front of an agent might.
 * Thread-safe.
 */
public final class FakeConsulAgent implements AutoCloseable {

	private static final Pattern INDEX = Pattern.compile("(?:^|&)index=(\\d+)");

	private static final Pattern WAIT = Pattern.compile("(?:^|&)wait=(\\d+)s");

	private final HttpServer server;

	private final ExecutorService executor;

	private final Object lock = new Object();

	private final Set<String> acceptEncodings = ConcurrentHashMap.newKeySet();

	private long index = 1;

	private String health = "[]";

	private String catalog = "{}";

	private Damage damage = Damage.NONE;

	private boolean closed;

	private FakeConsulAgent(@Nullable SSLContext tls) throws IOException {
		InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
		if (tls != null) {
			HttpsServer https = HttpsServer.create(address, 0);
			https.setHttpsConfigurator(new HttpsConfigurator(tls));
			this.server = https;
		}
		else {
			this.server = HttpServer.create(address, 0);
		}
		this.executor = Executors.newCachedThreadPool((task) -> {
			Thread thread = new Thread(task, "fake-consul-agent");
			thread.setDaemon(true);
			return thread;
		});
		this.server.setExecutor(this.executor);
		this.server.createContext("/v1/status/leader", (exchange) -> send(exchange, "\"127.0.0.1:8300\"", Damage.NONE));
		this.server.createContext("/v1/catalog/services", (exchange) -> answer(exchange, Body.CATALOG));
		this.server.createContext("/v1/health/service/", (exchange) -> answer(exchange, Body.HEALTH));
		this.server.createContext("/v1/health/state/any", (exchange) -> answer(exchange, Body.CHECKS));
		this.server.start();
	}

	/**
	 * Starts a fake agent on a free port that knows no service yet.
	 * @return the running agent
	 */
	public static FakeConsulAgent start() {
		return start(null);
	}

	/**
	 * Starts a fake agent on a free port that serves https over HTTP/1.1 only.
	 * @param tls the server's TLS context, with its key and certificate
	 * @return the running agent
	 */
	public static FakeConsulAgent startHttps(SSLContext tls) {
		return start(tls);
	}

	private static FakeConsulAgent start(@Nullable SSLContext tls) {
		try {
			return new FakeConsulAgent(tls);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start the fake Consul agent", ex);
		}
	}

	/**
	 * Returns the port of the agent's HTTP API.
	 * @return the port
	 */
	public int port() {
		return this.server.getAddress().getPort();
	}

	/**
	 * Answers from now on with these bodies, whole, and wakes every blocking query.
	 * @param health the body of {@code /v1/health/service/:name}
	 * @param catalog the body of {@code /v1/catalog/services}
	 */
	public void answer(String health, String catalog) {
		synchronized (this.lock) {
			this.health = health;
			this.catalog = catalog;
			change(Damage.NONE);
		}
	}

	/**
	 * Damages every catalog and health answer from now on, and wakes every blocking query.
	 * @param damage how
	 */
	public void damage(Damage damage) {
		synchronized (this.lock) {
			change(damage);
		}
	}

	@Override
	public void close() {
		synchronized (this.lock) {
			this.closed = true;
			this.lock.notifyAll();
		}
		this.server.stop(0);
		this.executor.shutdownNow();
	}

	private void change(Damage damage) {
		this.damage = damage;
		this.index++;
		this.lock.notifyAll();
	}

	/**
	 * Returns the {@code Accept-Encoding} headers of the catalog and health requests answered
	 * so far.
	 * @return the distinct values, empty if no request asked for an encoding
	 */
	public Set<String> acceptEncodings() {
		return Set.copyOf(this.acceptEncodings);
	}

	private void answer(HttpExchange exchange, Body answered) throws IOException {
		this.acceptEncodings.addAll(exchange.getRequestHeaders().getOrDefault("Accept-Encoding", List.of()));
		String query = (exchange.getRequestURI().getRawQuery() != null) ? exchange.getRequestURI().getRawQuery() : "";
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(number(WAIT, query));
		String body;
		Damage damage;
		synchronized (this.lock) {
			long seen = number(INDEX, query);
			long remaining;
			while (!this.closed && seen == this.index && (remaining = deadline - System.nanoTime()) > 0) {
				try {
					TimeUnit.NANOSECONDS.timedWait(this.lock, remaining);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					break;
				}
			}
			body = switch (answered) {
				case HEALTH -> this.health;
				case CATALOG -> this.catalog;
				case CHECKS -> "[]";
			};
			damage = (answered == Body.CHECKS) ? Damage.NONE : this.damage;
			exchange.getResponseHeaders().add("X-Consul-Index", String.valueOf(this.index));
		}
		send(exchange, body, damage);
	}

	private static long number(Pattern pattern, String query) {
		Matcher matcher = pattern.matcher(query);
		return matcher.find() ? Long.parseLong(matcher.group(1)) : 0;
	}

	private static void send(HttpExchange exchange, String body, Damage damage) throws IOException {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		byte[] half = Arrays.copyOf(bytes, bytes.length / 2);
		exchange.getResponseHeaders().add("Content-Type", "application/json");
		switch (damage) {
			case NONE -> reply(exchange, bytes);
			case TRUNCATED_JSON -> reply(exchange, half);
			case EMPTY -> {
				exchange.sendResponseHeaders(200, -1);
				exchange.close();
			}
			case CONNECTION_CUT -> {
				exchange.sendResponseHeaders(200, bytes.length);
				exchange.getResponseBody().write(half);
				exchange.getResponseBody().flush();
				throw new IOException("Connection cut on purpose; the server closes it");
			}
		}
	}

	private static void reply(HttpExchange exchange, byte[] body) throws IOException {
		exchange.sendResponseHeaders(200, body.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(body);
		}
	}

	private enum Body {

		HEALTH, CATALOG, CHECKS

	}

	/** How an answer is cut short. */
	public enum Damage {

		/** Whole answers. */
		NONE,

		/** The first half of the JSON, with a {@code Content-Length} that matches it. */
		TRUNCATED_JSON,

		/** Status 200 with an empty body. */
		EMPTY,

		/** A {@code Content-Length} of the whole JSON, half of it, then the connection closes. */
		CONNECTION_CUT

	}

}
