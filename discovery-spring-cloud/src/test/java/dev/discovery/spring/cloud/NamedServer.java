package dev.discovery.spring.cloud;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;

/**
 * A local HTTP server that answers any request with {@code hello from <name>}, or with
 * 500 while failing, and counts the requests it got.
 */
final class NamedServer implements AutoCloseable {

	final String name;

	final AtomicBoolean failing = new AtomicBoolean();

	final AtomicInteger requests = new AtomicInteger();

	private final HttpServer http;

	NamedServer(String name) throws IOException {
		this.name = name;
		this.http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.http.createContext("/", (exchange) -> {
			this.requests.incrementAndGet();
			exchange.getRequestBody().readAllBytes();
			int status = this.failing.get() ? 500 : 200;
			byte[] body = ((status == 200) ? "hello from " + name : "failing").getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().add("Content-Type", "text/plain");
			exchange.sendResponseHeaders(status, body.length);
			exchange.getResponseBody().write(body);
			exchange.close();
		});
		this.http.start();
	}

	int port() {
		return this.http.getAddress().getPort();
	}

	@Override
	public void close() {
		this.http.stop(0);
	}

}
