package dev.discovery.etcd;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import javax.net.ssl.SSLException;

import dev.discovery.core.Validation;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.options.GetOption;
import io.grpc.netty.GrpcSslContexts;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import org.jspecify.annotations.Nullable;

/**
 * Creates the jetcd client of a backend from its settings.
 */
final class EtcdClients {

	/**
	 * How long a connection may stay silent before gRPC pings it; the smallest that gRPC
	 * allows. jetcd's default of 30 s left a frozen member's connection, and the requests
	 * the channel kept sending to it, silent for 40 s.
	 */
	static final Duration CONNECTION_KEEPALIVE = Duration.ofSeconds(10);

	/** The key whose count {@link #preload} reads. */
	static final String PRELOAD_KEY = "/discovery-preload";

	/** How long {@link #preload} waits for its read. */
	static final Duration PRELOAD_WAIT = Duration.ofSeconds(2);

	private EtcdClients() {
	}

	/**
	 * Builds the TLS context, which reads and checks the PEM files.
	 * @param settings the settings
	 * @param handshakeProblems receives why a handshake failed: an untrusted server
	 * certificate, or a server that asks for a client certificate when none is configured
	 * @return the context, or {@code null} without TLS
	 * @throws IllegalArgumentException if a PEM file cannot be used; the message names the
	 * setting
	 */
	static @Nullable SslContext sslContext(EtcdSettings settings, Consumer<String> handshakeProblems) {
		if (!settings.tls()) {
			return null;
		}
		Path caFile = settings.caFile();
		SslContextBuilder builder = GrpcSslContexts.forClient()
			.trustManager(HandshakeProblems.trusting(caFile, handshakeProblems));
		Path certFile = settings.clientCertFile();
		Path keyFile = settings.clientKeyFile();
		if (certFile != null && keyFile != null) {
			try {
				builder.keyManager(certFile.toFile(), keyFile.toFile());
			}
			catch (IllegalArgumentException ex) {
				throw Validation.invalid("clientCertFile", certFile.toString(),
						"must be a PEM certificate whose PKCS#8 PEM key is clientKeyFile " + keyFile + " ("
								+ ex.getMessage() + ")");
			}
		}
		else {
			builder.keyManager(HandshakeProblems.withoutClientCertificate(handshakeProblems));
		}
		try {
			return builder.build();
		}
		catch (SSLException ex) {
			throw Validation.invalid("caFile", String.valueOf(caFile), "must give a usable TLS setup (" + ex.getMessage() + ")");
		}
	}

	/**
	 * Loads and initialises the classes a client needs (jetcd, gRPC, Netty, Vert.x) by
	 * building a client with its KV, lease and watch stubs and closing it again. Given
	 * endpoints, the client also reads from them once, a count of the one key
	 * {@value #PRELOAD_KEY}, which changes nothing, so that the classes of a connection and
	 * of a request are loaded too; it waits for that read at most {@link #PRELOAD_WAIT} and
	 * ignores its outcome. Without endpoints no connection is opened.
	 * @param endpoints plain {@code http} endpoints to read from, or none
	 * @throws InterruptedException if interrupted while waiting for the read
	 */
	static void preload(List<URI> endpoints) throws InterruptedException {
		URI[] targets = endpoints.isEmpty() ? new URI[] { URI.create("http://127.0.0.1:2379") }
				: endpoints.toArray(URI[]::new);
		try (Client client = Client.builder().endpoints(targets).build()) {
			KV kv = client.getKVClient();
			client.getLeaseClient();
			client.getWatchClient();
			if (!endpoints.isEmpty()) {
				GetOption countOnly = GetOption.builder().withCountOnly(true).build();
				kv.get(ByteSequence.from(PRELOAD_KEY, StandardCharsets.UTF_8), countOnly)
					.get(PRELOAD_WAIT.toMillis(), TimeUnit.MILLISECONDS);
			}
		}
		catch (ExecutionException | TimeoutException ex) {
			// Only the attempt matters here; the backend reports real problems itself.
		}
	}

	/**
	 * Returns the endpoints as URIs if every one is a plain {@code http} URL with a host, the
	 * only kind that {@link #preload} can read from without the backend's TLS and
	 * credentials.
	 * @param endpoints the endpoints as configured
	 * @return the URIs, or an empty list if any endpoint is of another kind or malformed
	 */
	static List<URI> plainHttp(List<String> endpoints) {
		List<URI> uris = new ArrayList<>();
		for (String endpoint : endpoints) {
			try {
				URI uri = new URI(endpoint.trim());
				if (!"http".equals(uri.getScheme()) || uri.getHost() == null) {
					return List.of();
				}
				uris.add(uri);
			}
			catch (URISyntaxException ex) {
				return List.of();
			}
		}
		return uris;
	}

	/**
	 * Creates a client. Nothing is sent until the first request. Like etcd's own Go client,
	 * it accepts responses of any size up to 2 GiB rather than gRPC's default of 4 MiB, so
	 * that a service whose keys hold more than 4 MiB (many large instances, or foreign
	 * values of up to etcd's 1.5 MiB each) can still be read. A member that stops
	 * answering without closing its connection (frozen, or behind a network black hole) is
	 * dropped when a keep-alive ping gets no answer, within 10 s plus the request timeout;
	 * the requests and streams on that connection then fail and are sent to the others.
	 * @param settings the settings
	 * @param sslContext the TLS context, or {@code null}
	 * @return the client
	 */
	static Client create(EtcdSettings settings, @Nullable SslContext sslContext) {
		ClientBuilder builder = Client.builder()
			.endpoints(settings.endpoints().toArray(URI[]::new))
			.connectTimeout(settings.requestTimeout())
			.retryMaxDuration(settings.requestTimeout())
			.maxInboundMessageSize(Integer.MAX_VALUE)
			.keepaliveTime(CONNECTION_KEEPALIVE)
			.keepaliveTimeout(settings.requestTimeout());
		if (settings.username() != null && settings.password() != null) {
			builder.user(ByteSequence.from(settings.username(), StandardCharsets.UTF_8))
				.password(ByteSequence.from(settings.password(), StandardCharsets.UTF_8));
		}
		if (sslContext != null) {
			builder.sslContext(sslContext);
		}
		return builder.build();
	}

}
