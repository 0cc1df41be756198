package dev.discovery.benchmarks;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.discovery.benchmarks.gateway.GatewaySample;

/**
 * One {@link GatewaySample} in its own JVM, on the run's etcd, with the benchmarks' class
 * path plus the gateway ({@code target/gateway-classpath.txt}). Requests go through
 * {@link #send()} one at a time on one kept-alive HTTP/1.1 connection. Closing stops the
 * JVM.
 */
final class GatewayProcess implements AutoCloseable {

	private static final Duration STARTUP = Duration.ofSeconds(120);

	private static final int OUTPUT_LINES = 200;

	private final String name;

	private final Process process;

	private final ConcurrentLinkedDeque<String> output = new ConcurrentLinkedDeque<>();

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	private final HttpRequest greeting;

	private final HttpRequest allocated;

	/**
	 * Starts the gateway and waits until it is ready.
	 * @param name its name, sent upstream in {@link GatewaySample#HEADER}
	 * @param etcdEndpoint the etcd it discovers the upstreams on
	 * @param properties further Spring Boot properties, as {@code --name=value}
	 * @throws Exception if it did not get ready
	 */
	GatewayProcess(String name, String etcdEndpoint, List<String> properties) throws Exception {
		this.name = name;
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Xms512m", "-Xmx512m", BenchmarkSuite.LOGGING, "-cp", classPath(), GatewaySample.class.getName(),
				"--server.port=0", "--spring.application.name=gateway-" + name, "--gateway.name=" + name,
				"--discovery.backend=etcd", "--discovery.etcd.endpoints=" + etcdEndpoint,
				"--discovery.registration.enabled=false"));
		command.addAll(properties);
		this.process = new ProcessBuilder(command).redirectErrorStream(true).start();
		CompletableFuture<Integer> port = new CompletableFuture<>();
		Thread reader = new Thread(() -> read(port), "gateway-" + name + "-output");
		reader.setDaemon(true);
		reader.start();
		try {
			URI base = URI.create("http://127.0.0.1:" + port.get(STARTUP.toSeconds(), TimeUnit.SECONDS));
			this.greeting = HttpRequest.newBuilder(base.resolve(GatewaySample.PATH)).timeout(Duration.ofSeconds(10)).build();
			this.allocated = HttpRequest.newBuilder(base.resolve(GatewaySample.ALLOCATED)).build();
		}
		catch (TimeoutException ex) {
			close();
			throw new IllegalStateException("Gateway " + name + " did not get ready; its output:\n"
					+ String.join("\n", this.output), ex);
		}
	}

	/**
	 * Sends one request through the gateway to the service and reads the whole answer.
	 * @return the answer's body
	 * @throws IOException if the request failed or the answer was not 200
	 * @throws InterruptedException if interrupted while waiting
	 */
	String send() throws IOException, InterruptedException {
		HttpResponse<String> response = this.http.send(this.greeting, HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() != 200) {
			throw new IOException("Gateway " + this.name + " answered " + response.statusCode() + ": " + response.body());
		}
		return response.body();
	}

	/**
	 * Returns the bytes the gateway's live threads have allocated so far.
	 * @return the bytes
	 * @throws IOException if the gateway did not answer
	 * @throws InterruptedException if interrupted while waiting
	 */
	long allocatedBytes() throws IOException, InterruptedException {
		return Long.parseLong(this.http.send(this.allocated, HttpResponse.BodyHandlers.ofString()).body().trim());
	}

	@Override
	public void close() throws InterruptedException {
		this.process.destroy();
		if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
			this.process.destroyForcibly();
		}
	}

	private void read(CompletableFuture<Integer> port) {
		try (BufferedReader lines = new BufferedReader(
				new InputStreamReader(this.process.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = lines.readLine()) != null) {
				if (line.startsWith(GatewaySample.READY + " ")) {
					port.complete(Integer.parseInt(line.substring(GatewaySample.READY.length() + 1).trim()));
				}
				this.output.add(line);
				if (this.output.size() > OUTPUT_LINES) {
					this.output.poll();
				}
			}
		}
		catch (IOException ex) {
			port.completeExceptionally(ex);
		}
	}

	private static String classPath() throws IOException, URISyntaxException {
		Path classes = Path.of(GatewayProcess.class.getProtectionDomain().getCodeSource().getLocation().toURI());
		String gateway = Files.readString(classes.resolveSibling("gateway-classpath.txt")).trim();
		return System.getProperty("java.class.path") + File.pathSeparator + gateway;
	}

}
