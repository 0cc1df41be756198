package dev.discovery.consul.testserver;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A key and a self-signed certificate for 127.0.0.1, made by the JDK's {@code keytool} in a
 * temporary directory: the server side of a TLS test, and the PEM file its clients trust.
 *
 * @param keyStore the PKCS12 key store with the key and certificate
 * @param caFile the certificate as PEM
 */
public record SelfSignedTls(Path keyStore, Path caFile) {

	private static final String PASSWORD = "changeit";

	/**
	 * Makes the key and certificate.
	 * @return them
	 * @throws IOException if keytool failed
	 * @throws InterruptedException if interrupted while keytool ran
	 */
	public static SelfSignedTls create() throws IOException, InterruptedException {
		Path directory = Files.createTempDirectory("discovery-tls-");
		Path keyStore = directory.resolve("server.p12");
		Path caFile = directory.resolve("ca.pem");
		keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-dname", "CN=127.0.0.1", "-ext",
				"SAN=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore", keyStore.toString(),
				"-storepass", PASSWORD);
		keytool("-exportcert", "-rfc", "-alias", "server", "-keystore", keyStore.toString(), "-storepass", PASSWORD,
				"-file", caFile.toString());
		return new SelfSignedTls(keyStore, caFile);
	}

	/**
	 * A server TLS context with the key and certificate.
	 * @return the context
	 * @throws IOException if the key store cannot be read
	 * @throws GeneralSecurityException if the key store is unusable
	 */
	public SSLContext serverContext() throws IOException, GeneralSecurityException {
		KeyStore store = KeyStore.getInstance("PKCS12");
		try (InputStream in = Files.newInputStream(this.keyStore)) {
			store.load(in, PASSWORD.toCharArray());
		}
		KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
		keys.init(store, PASSWORD.toCharArray());
		SSLContext context = SSLContext.getInstance("TLS");
		context.init(keys.getKeyManagers(), null, null);
		return context;
	}

	private static void keytool(String... arguments) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
		command.addAll(List.of(arguments));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes());
		if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
			throw new IOException("keytool " + String.join(" ", arguments) + " failed: " + output);
		}
	}

}
