package dev.discovery.etcd.testserver;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.grpc.netty.GrpcSslContexts;

/**
 * A throw-away certificate authority made with the {@code openssl} command: a server
 * certificate for 127.0.0.1 and a client certificate, with PKCS#8 PEM keys. The server
 * certificate can be renewed in place, as an operator rotates it.
 *
 * @param caFile the CA certificate
 * @param serverCertFile the server certificate
 * @param serverKeyFile the server key
 * @param clientCertFile the client certificate
 * @param clientKeyFile the client key
 */
public record TestCertificates(Path caFile, Path serverCertFile, Path serverKeyFile, Path clientCertFile,
		Path clientKeyFile) {

	/**
	 * Creates a CA and the certificates it signs.
	 * @param directory where to write the files
	 * @return the files
	 */
	public static TestCertificates create(Path directory) {
		try {
			Files.createDirectories(directory);
			openssl(directory, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
					"-keyout", "ca.key", "-out", "ca.crt", "-days", "2", "-subj", "/CN=discovery-test-ca");
			Files.writeString(directory.resolve("server.ext"),
					"subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth,clientAuth\n");
			Files.writeString(directory.resolve("client.ext"), "extendedKeyUsage=clientAuth\n");
			sign(directory, "server", "/CN=127.0.0.1");
			sign(directory, "client", "/CN=discovery-client");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return new TestCertificates(directory.resolve("ca.crt"), directory.resolve("server.crt"),
				directory.resolve("server.key"), directory.resolve("client.crt"), directory.resolve("client.key"));
	}

	/**
	 * The etcd flags that serve clients over TLS, without asking for client certificates.
	 * @return the flags
	 */
	public List<String> tlsArguments() {
		return List.of("--cert-file", this.serverCertFile.toString(), "--key-file", this.serverKeyFile.toString());
	}

	/**
	 * The etcd flags that serve clients over TLS and require client certificates signed by
	 * this CA.
	 * @return the flags
	 */
	public List<String> mutualTlsArguments() {
		List<String> arguments = new ArrayList<>(tlsArguments());
		arguments.addAll(List.of("--trusted-ca-file", this.caFile.toString(), "--client-cert-auth"));
		return List.copyOf(arguments);
	}

	/**
	 * Replaces the server's key and certificate files with a new key and a new certificate
	 * from the same CA.
	 */
	public void renewServerCertificate() {
		try {
			sign(this.caFile.getParent(), "server", "/CN=127.0.0.1");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Copies this CA's client certificate and key over other files, as a deployment replaces
	 * them.
	 * @param certFile the certificate file to overwrite
	 * @param keyFile the key file to overwrite
	 */
	public void copyClientFilesTo(Path certFile, Path keyFile) {
		try {
			Files.copy(this.clientCertFile, certFile, StandardCopyOption.REPLACE_EXISTING);
			Files.copy(this.clientKeyFile, keyFile, StandardCopyOption.REPLACE_EXISTING);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Starts a jetcd client that trusts this CA and presents its client certificate.
	 * @param endpoints the etcd to connect to
	 * @return the client builder
	 */
	public ClientBuilder client(List<String> endpoints) {
		try {
			return Client.builder()
				.endpoints(endpoints.toArray(String[]::new))
				.sslContext(GrpcSslContexts.forClient()
					.trustManager(this.caFile.toFile())
					.keyManager(this.clientCertFile.toFile(), this.clientKeyFile.toFile())
					.build());
		}
		catch (SSLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Reads the certificate that a TLS server presents, without verifying it.
	 * @param endpoint the server's URL, for example {@code https://127.0.0.1:2379}
	 * @return the server's own certificate
	 */
	public static X509Certificate servedCertificate(String endpoint) {
		URI uri = URI.create(endpoint);
		List<X509Certificate> presented = new ArrayList<>();
		X509TrustManager recorder = new X509TrustManager() {
			@Override
			public void checkServerTrusted(X509Certificate[] chain, String authType) {
				presented.add(chain[0]);
			}

			@Override
			public void checkClientTrusted(X509Certificate[] chain, String authType) {
				throw new UnsupportedOperationException();
			}

			@Override
			public X509Certificate[] getAcceptedIssuers() {
				return new X509Certificate[0];
			}
		};
		try {
			SSLContext context = SSLContext.getInstance("TLS");
			context.init(null, new TrustManager[] { recorder }, null);
			try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(uri.getHost(), uri.getPort())) {
				socket.setSoTimeout(5000);
				socket.startHandshake();
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
		return presented.get(0);
	}

	/**
	 * Reads a PEM certificate file.
	 * @param file the file
	 * @return the certificate
	 */
	public static X509Certificate certificate(Path file) {
		try (InputStream in = Files.newInputStream(file)) {
			return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static void sign(Path directory, String name, String subject) throws IOException {
		openssl(directory, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout",
				name + ".key", "-out", name + ".csr", "-subj", subject);
		openssl(directory, "x509", "-req", "-in", name + ".csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
				"-out", name + ".crt", "-days", "2", "-extfile", name + ".ext");
	}

	private static void openssl(Path directory, String... arguments) throws IOException {
		List<String> command = new ArrayList<>(List.of("openssl"));
		command.addAll(List.of(arguments));
		Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
		try {
			String output = new String(process.getInputStream().readAllBytes());
			if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
				throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
