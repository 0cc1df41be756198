package dev.discovery.etcd.testserver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away certificate authority made with the {@code openssl} command: a server
 * certificate for 127.0.0.1 and a client certificate, with PKCS#8 PEM keys.
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
	 * The etcd flags that serve clients over TLS and require client certificates.
	 * @return the flags
	 */
	public List<String> etcdArguments() {
		return List.of("--cert-file", this.serverCertFile.toString(), "--key-file", this.serverKeyFile.toString(),
				"--trusted-ca-file", this.caFile.toString(), "--client-cert-auth");
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
