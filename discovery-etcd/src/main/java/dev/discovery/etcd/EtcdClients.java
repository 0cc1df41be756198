package dev.discovery.etcd;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import javax.net.ssl.SSLException;

import dev.discovery.core.Validation;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
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
	 * allows. jetcd's default of 30 s left a frozen member's connection, and the lease
	 * keep-alive and watches pinned to it, silent for 40 s.
	 */
	static final Duration CONNECTION_KEEPALIVE = Duration.ofSeconds(10);

	private EtcdClients() {
	}

	/**
	 * Builds the TLS context, which reads and checks the PEM files.
	 * @param settings the settings
	 * @return the context, or {@code null} without TLS
	 * @throws IllegalArgumentException if a PEM file cannot be used; the message names the
	 * setting
	 */
	static @Nullable SslContext sslContext(EtcdSettings settings) {
		if (!settings.tls()) {
			return null;
		}
		SslContextBuilder builder = GrpcSslContexts.forClient();
		Path caFile = settings.caFile();
		if (caFile != null) {
			try {
				builder.trustManager(caFile.toFile());
			}
			catch (IllegalArgumentException ex) {
				throw Validation.invalid("caFile", caFile.toString(), "must be a PEM file of CA certificates ("
						+ ex.getMessage() + ")");
			}
		}
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
		try {
			return builder.build();
		}
		catch (SSLException ex) {
			throw Validation.invalid("caFile", String.valueOf(caFile), "must give a usable TLS setup (" + ex.getMessage() + ")");
		}
	}

	/**
	 * Creates a client. Nothing is sent until the first request. A member that stops
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
