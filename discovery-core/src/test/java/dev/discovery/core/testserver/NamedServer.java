package dev.discovery.core.testserver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import com.sun.net.httpserver.HttpServer;
import dev.discovery.core.DiscoveryBackend;
import dev.discovery.core.DiscoveryClient;
import dev.discovery.core.ServiceInstance;
import org.awaitility.Awaitility;

/**
 * A local HTTP server that answers every request with {@code hello from <name>}, or with
 * 500 while failing, and records the requests it received as {@code METHOD /path?query}.
 */
public final class NamedServer implements AutoCloseable {

	private final String name;

	private final HttpServer http;

	private final AtomicBoolean failing = new AtomicBoolean();

	private final List<String> requests = new CopyOnWriteArrayList<>();

	/**
	 * Starts a server on a free port of 127.0.0.1.
	 * @param name the name it answers with
	 * @throws IOException if it cannot start
	 */
	public NamedServer(String name) throws IOException {
		this.name = name;
		this.http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.http.createContext("/", (exchange) -> {
			this.requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
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

	/**
	 * Starts a server on a free port of 127.0.0.1, for a static field.
	 * @param name the name it answers with
	 * @return the started server
	 * @throws UncheckedIOException if it cannot start
	 */
	public static NamedServer start(String name) {
		try {
			return new NamedServer(name);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Returns the name the server answers with.
	 * @return the name
	 */
	public String name() {
		return this.name;
	}

	/**
	 * Returns the port the server listens on.
	 * @return the port
	 */
	public int port() {
		return this.http.getAddress().getPort();
	}

	/**
	 * Makes the server answer 500 from now on, or 200 again.
	 * @param failing whether to fail
	 */
	public void failing(boolean failing) {
		this.failing.set(failing);
	}

	/**
	 * Returns the requests received so far.
	 * @return {@code METHOD /path?query} per request, in order
	 */
	public List<String> requests() {
		return List.copyOf(this.requests);
	}

	@Override
	public void close() {
		this.http.stop(0);
	}

	/**
	 * Registers one instance of a service per server, with the id
	 * {@code <service>-<server name>}, and waits until the client sees them all.
	 * @param backend the registry to register in
	 * @param client the client that must see the instances
	 * @param service the service name
	 * @param servers the servers
	 */
	public static void register(DiscoveryBackend backend, DiscoveryClient client, String service,
			NamedServer... servers) {
		for (NamedServer server : servers) {
			backend.register(
					ServiceInstance.builder(service, "127.0.0.1", server.port()).id(service + "-" + server.name).build());
		}
		List<String> ids = Arrays.stream(servers).map((server) -> service + "-" + server.name).toList();
		Awaitility.await()
			.atMost(Duration.ofSeconds(10))
			.until(() -> client.getInstances(service).stream().map(ServiceInstance::id).toList().containsAll(ids));
	}

}
