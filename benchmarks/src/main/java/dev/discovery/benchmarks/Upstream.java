package dev.discovery.benchmarks;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.discovery.benchmarks.gateway.GatewaySample;
import dev.discovery.core.ServiceInstance;

/**
 * A tiny upstream of the gateway measurement on a free 127.0.0.1 port: answers every
 * request with a short greeting and remembers when the first request from each gateway
 * (named by {@link GatewaySample#HEADER}) arrived. Thread-safe.
 */
final class Upstream implements AutoCloseable {

	static {
		// Without it the JDK server's separate writes of headers and body wait out the gateway's delayed ACK (40 ms).
		System.setProperty("sun.net.httpserver.nodelay", "true");
	}

	private final String name;

	private final HttpServer server;

	private final byte[] body;

	private final Map<String, CompletableFuture<Long>> firstRequestNanos = new ConcurrentHashMap<>();

	/**
	 * Starts the server.
	 * @param name the name in the greeting and the instance id
	 * @throws IOException if it could not listen
	 */
	Upstream(String name) throws IOException {
		this.name = name;
		this.body = ("hello from " + name).getBytes(StandardCharsets.UTF_8);
		this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
		this.server.createContext("/", this::answer);
		this.server.start();
	}

	/**
	 * Returns the instance to register for {@link GatewaySample#SERVICE}.
	 * @return the instance
	 */
	ServiceInstance instance() {
		return ServiceInstance.builder(GatewaySample.SERVICE, "127.0.0.1", this.server.getAddress().getPort())
			.id(GatewaySample.SERVICE + "-" + this.name)
			.build();
	}

	/**
	 * Returns when the first request from a gateway arrived.
	 * @param gateway the gateway's name
	 * @return the {@link System#nanoTime()} of its arrival, completed when it arrives
	 */
	CompletableFuture<Long> firstRequestNanos(String gateway) {
		return this.firstRequestNanos.computeIfAbsent(gateway, (name) -> new CompletableFuture<>());
	}

	private void answer(HttpExchange exchange) throws IOException {
		long arrived = System.nanoTime();
		String gateway = exchange.getRequestHeaders().getFirst(GatewaySample.HEADER);
		if (gateway != null) {
			firstRequestNanos(gateway).complete(arrived);
		}
		exchange.getRequestBody().readAllBytes();
		exchange.sendResponseHeaders(200, this.body.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(this.body);
		}
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

}
