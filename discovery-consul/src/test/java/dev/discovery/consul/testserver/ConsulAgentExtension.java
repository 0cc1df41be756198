package dev.discovery.consul.testserver;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import dev.discovery.consul.ConsulBackend;
import dev.discovery.core.testserver.FreePorts;
import dev.discovery.core.testserver.ServerBinary;
import org.awaitility.Awaitility;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Gives a test class a real Consul agent: {@code consul agent -dev}, or a single server as in
 * production ({@link #production()}), on free 127.0.0.1 ports
 * (DNS on {@link #dnsPort()}, gRPC off) with a temporary data and config directory, started before the class
 * and stopped after it. It can restart the agent (a dev agent forgets everything), enable
 * ACLs with default policy deny, and create ACL tokens. {@link #shared()} uses the agent
 * named by {@code CONSUL_HTTP_ADDR} when that is set. If no agent can be had, the test
 * class fails.
 */
public final class ConsulAgentExtension implements BeforeAllCallback, AfterAllCallback {

	/** ACL rules that let a token register any service and discover every one. */
	public static final String REGISTER_AND_DISCOVER_RULES = "service_prefix \"\" { policy = \"write\" }\n"
			+ "node_prefix \"\" { policy = \"read\" }";

	private static final String DISCOVER_RULES = "service_prefix \"\" { policy = \"read\" }\n"
			+ "node_prefix \"\" { policy = \"read\" }";

	private static final Duration STARTUP_DEADLINE = Duration.ofSeconds(30);

	private static final Pattern SECRET_ID = Pattern.compile("\"SecretID\"\\s*:\\s*\"([^\"]+)\"");

	private static final Pattern ID = Pattern.compile("\"ID\"\\s*:\\s*\"([^\"]+)\"");

	private final boolean mayUseExisting;

	private final @Nullable String masterToken;

	private final boolean tls;

	private final boolean dev;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private String host = "127.0.0.1";

	private int port;

	private int @Nullable [] ports;

	private @Nullable Path directory;

	private @Nullable Process process;

	private ConsulAgentExtension(boolean mayUseExisting, @Nullable String masterToken, boolean tls) {
		this(mayUseExisting, masterToken, tls, true);
	}

	private ConsulAgentExtension(boolean mayUseExisting, @Nullable String masterToken, boolean tls, boolean dev) {
		this.mayUseExisting = mayUseExisting;
		this.masterToken = masterToken;
		this.tls = tls;
		this.dev = dev;
	}

	/** An agent for tests that never restart it: {@code CONSUL_HTTP_ADDR} if set, else one of its own. */
	public static ConsulAgentExtension shared() {
		return new ConsulAgentExtension(true, null, false);
	}

	/** An agent of its own, which the tests may restart. */
	public static ConsulAgentExtension own() {
		return new ConsulAgentExtension(false, null, false);
	}

	/**
	 * An agent of its own started as in production, a single server
	 * ({@code -server -bootstrap-expect 1}) instead of {@code -dev}: its raft log is on disk
	 * and its answers are compact JSON, where a dev agent pretty-prints them. A restart
	 * keeps its state. Like {@link #withTls()}, it also serves https.
	 */
	public static ConsulAgentExtension production() {
		return new ConsulAgentExtension(false, null, true, false);
	}

	/** An agent of its own with ACLs enabled and default policy deny. */
	public static ConsulAgentExtension withAcl() {
		return new ConsulAgentExtension(false, UUID.randomUUID().toString(), false);
	}

	/**
	 * An agent of its own that also serves https on {@link #httpsPort()}, with a CA and a
	 * server certificate made by {@code consul tls}; the CA is {@link #caFile()}.
	 */
	public static ConsulAgentExtension withTls() {
		return new ConsulAgentExtension(false, null, true);
	}

	@Override
	public void beforeAll(ExtensionContext context) throws Exception {
		String existing = System.getenv("CONSUL_HTTP_ADDR");
		if (this.mayUseExisting && existing != null && !existing.isBlank()) {
			URI uri = URI.create(existing.contains("://") ? existing : "http://" + existing);
			this.host = uri.getHost();
			this.port = uri.getPort();
			awaitLeader();
			return;
		}
		this.ports = FreePorts.pick(6);
		this.port = this.ports[0];
		this.directory = Files.createTempDirectory("discovery-consul-");
		writeConfig();
		start();
	}

	@Override
	public void afterAll(ExtensionContext context) throws Exception {
		stop();
		if (this.directory != null) {
			deleteTree(this.directory);
		}
	}

	/**
	 * Returns the https port of an agent made by {@link #withTls()}.
	 * @return the port
	 */
	public int httpsPort() {
		return requireStarted(this.ports)[4];
	}

	/**
	 * Returns the port of the agent's DNS interface, which answers over UDP and TCP.
	 * @return the port
	 */
	public int dnsPort() {
		return requireStarted(this.ports)[5];
	}

	/**
	 * Returns the PEM file of the CA that signed the agent's certificate.
	 * @return the CA file
	 */
	public Path caFile() {
		return requireStarted(this.directory).resolve("consul-agent-ca.pem");
	}

	/**
	 * Returns the host of the agent's HTTP API.
	 * @return the host
	 */
	public String host() {
		return this.host;
	}

	/**
	 * Returns the port of the agent's HTTP API.
	 * @return the port
	 */
	public int port() {
		return this.port;
	}

	/** The ACL master token; only for agents made by {@link #withAcl()}. */
	public String masterToken() {
		if (this.masterToken == null) {
			throw new IllegalStateException("This agent has no ACLs");
		}
		return this.masterToken;
	}

	/**
	 * ACL rules that let a token register the named services only, and discover every one.
	 * @param services the names it may register
	 * @return the rules
	 */
	public static String registerOnlyRules(String... services) {
		StringBuilder rules = new StringBuilder();
		for (String service : services) {
			rules.append("service \"").append(service).append("\" { policy = \"write\" }\n");
		}
		return rules.append(DISCOVER_RULES).toString();
	}

	/** A builder of backends on this agent. */
	public ConsulBackend.Builder backend() {
		return ConsulBackend.builder().host(this.host).port(this.port).requestTimeout(Duration.ofSeconds(2));
	}

	/** A TLS context that trusts this agent's CA, for clients of its https port. */
	public SSLContext trustingCa() throws IOException, GeneralSecurityException {
		KeyStore trustStore = KeyStore.getInstance(KeyStore.getDefaultType());
		trustStore.load(null, null);
		try (InputStream in = Files.newInputStream(caFile())) {
			trustStore.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
		}
		TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
		trust.init(trustStore);
		SSLContext context = SSLContext.getInstance("TLS");
		context.init(null, trust.getTrustManagers(), null);
		return context;
	}

	/** A builder of backends on this agent's https port, trusting its CA; see {@link #withTls()}. */
	public ConsulBackend.Builder httpsBackend() {
		return backend().scheme("https").port(httpsPort()).caFile(caFile());
	}

	/**
	 * Stops the agent and starts it again on the same ports and data directory, as an
	 * operator restarts one: it restores the services and checks registered through its API.
	 * Returns once it has a leader.
	 */
	public void restart() throws IOException, InterruptedException {
		restart(true);
	}

	/**
	 * Stops the agent and starts a new one on the same ports with an empty data directory,
	 * as when an agent's machine or container is replaced: it knows no service. Returns once
	 * it has a leader.
	 */
	public void restartWithoutState() throws IOException, InterruptedException {
		restart(false);
	}

	private void restart(boolean keepState) throws IOException, InterruptedException {
		if (this.process == null) {
			throw new IllegalStateException("Only an agent started by the test can be restarted");
		}
		stop();
		if (!keepState) {
			deleteTree(dataDirectory());
		}
		start();
	}

	/**
	 * Creates an ACL policy with the given rules and a token that carries it.
	 * @return the token's secret
	 */
	public String createToken(String rules) throws IOException, InterruptedException {
		String policyName = "p-" + UUID.randomUUID();
		String policy = put("/v1/acl/policy", "{\"Name\":\"" + policyName + "\",\"Rules\":" + quote(rules) + "}");
		String token = put("/v1/acl/token", "{\"Policies\":[{\"ID\":\"" + group(ID, policy) + "\"}]}");
		return group(SECRET_ID, token);
	}

	/** Sends a request to the agent with the master token (if any) and returns the body. */
	public String call(String method, String path, String body) throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + this.host + ":" + this.port + path))
			.timeout(Duration.ofSeconds(5))
			.method(method, HttpRequest.BodyPublishers.ofString(body));
		if (this.masterToken != null) {
			request.header("X-Consul-Token", this.masterToken);
		}
		HttpResponse<String> response = this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() != 200) {
			throw new IllegalStateException(method + " " + path + " gave " + response.statusCode() + ": " + response.body());
		}
		return response.body();
	}

	private String put(String path, String body) throws IOException, InterruptedException {
		return call("PUT", path, body);
	}

	private void writeConfig() throws IOException {
		StringBuilder config = new StringBuilder();
		if (this.masterToken != null) {
			config.append("acl {\n  enabled = true\n  default_policy = \"deny\"\n  tokens {\n    master = \"")
				.append(this.masterToken)
				.append("\"\n    agent = \"")
				.append(this.masterToken)
				.append("\"\n  }\n}\n");
		}
		if (this.tls) {
			Path directory = requireStarted(this.directory);
			String binary = ServerBinary.CONSUL.resolve().toString();
			run(directory, binary, "tls", "ca", "create");
			run(directory, binary, "tls", "cert", "create", "-server", "-dc", "dc1");
			config.append("ports {\n  https = ")
				.append(httpsPort())
				.append("\n}\ncert_file = \"")
				.append(directory.resolve("dc1-server-consul-0.pem"))
				.append("\"\nkey_file = \"")
				.append(directory.resolve("dc1-server-consul-0-key.pem"))
				.append("\"\nca_file = \"")
				.append(caFile())
				.append("\"\nverify_incoming = false\n");
		}
		Files.writeString(configFile(), config.toString());
	}

	private static void run(Path directory, String... command) throws IOException {
		try {
			Process process = new ProcessBuilder(command).directory(directory.toFile())
				.redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.DISCARD)
				.start();
			if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
				throw new IOException("'" + String.join(" ", command) + "' failed");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException("Interrupted", ex);
		}
	}

	private void start() throws IOException {
		Path binary = ServerBinary.CONSUL.resolve();
		int[] ports = requireStarted(this.ports);
		List<String> command = new ArrayList<>(List.of(binary.toString(), "agent"));
		command.addAll(this.dev ? List.of("-dev") : List.of("-server", "-bootstrap-expect", "1"));
		command.addAll(List.of("-bind", "127.0.0.1",
				"-client", "127.0.0.1", "-http-port", String.valueOf(ports[0]), "-serf-lan-port",
				String.valueOf(ports[1]), "-serf-wan-port", String.valueOf(ports[2]), "-server-port",
				String.valueOf(ports[3]), "-dns-port", String.valueOf(ports[5]), "-grpc-port", "-1", "-log-level", "warn", "-data-dir",
				dataDirectory().toString(), "-config-file", configFile().toString()));
		this.process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()))
			.start();
		try {
			awaitLeader();
		}
		catch (RuntimeException ex) {
			throw new IllegalStateException("Consul agent did not get ready within " + STARTUP_DEADLINE + "; its log:\n"
					+ Files.readString(logFile(), StandardCharsets.UTF_8), ex);
		}
	}

	private void stop() throws InterruptedException {
		Process running = this.process;
		if (running == null) {
			return;
		}
		running.destroy();
		if (!running.waitFor(10, TimeUnit.SECONDS)) {
			running.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
		}
		this.process = null;
	}

	private void awaitLeader() {
		URI leader = URI.create("http://" + this.host + ":" + this.port + "/v1/status/leader");
		Awaitility.await()
			.atMost(STARTUP_DEADLINE)
			.pollInterval(Duration.ofMillis(100))
			.ignoreExceptions()
			.until(() -> this.http
				.send(HttpRequest.newBuilder(leader).timeout(Duration.ofSeconds(2)).build(),
						HttpResponse.BodyHandlers.ofString())
				.body()
				.trim()
				.matches("\"[^\"]+\""));
	}

	private Path dataDirectory() {
		return requireStarted(this.directory).resolve("data");
	}

	private static void deleteTree(Path root) throws IOException {
		if (!Files.exists(root)) {
			return;
		}
		try (var files = Files.walk(root)) {
			files.sorted(java.util.Comparator.reverseOrder()).forEach((file) -> file.toFile().delete());
		}
	}

	private Path configFile() {
		return requireStarted(this.directory).resolve("config.hcl");
	}

	private Path logFile() {
		return requireStarted(this.directory).resolve("agent.log");
	}

	private static <T> T requireStarted(@Nullable T value) {
		if (value == null) {
			throw new IllegalStateException("The agent was not started by this extension");
		}
		return value;
	}

	private static String group(Pattern pattern, String body) {
		Matcher matcher = pattern.matcher(body);
		if (!matcher.find()) {
			throw new UncheckedIOException(new IOException("No " + pattern + " in " + body));
		}
		return matcher.group(1);
	}

	private static String quote(String text) {
		return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
	}

}
