package dev.discovery.etcd;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.function.Consumer;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;

import dev.discovery.core.Validation;
import org.jspecify.annotations.Nullable;

/**
 * The trust and key managers of the client's TLS context, which report why a handshake
 * failed in words that name the setting to fix. jetcd waits for a connection that never
 * comes up instead of failing the request, so without them a certificate problem would only
 * show as a timeout.
 */
final class HandshakeProblems {

	private HandshakeProblems() {
	}

	/**
	 * Returns a trust manager that verifies servers as the JVM's PKIX trust manager does and
	 * reports every certificate it refuses.
	 * @param caFile the PEM file of the CAs to trust, or {@code null} for the JVM's trust store
	 * @param problems receives the description of a refused certificate
	 * @return the trust manager
	 * @throws IllegalArgumentException naming {@code caFile} if it holds no usable PEM
	 * certificate
	 */
	static TrustManager trusting(@Nullable Path caFile, Consumer<String> problems) {
		try {
			TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
			factory.init((caFile != null) ? trustStore(caFile) : null);
			for (TrustManager manager : factory.getTrustManagers()) {
				if (manager instanceof X509ExtendedTrustManager x509) {
					return new ReportingTrustManager(x509, caFile, problems);
				}
			}
			throw new IllegalStateException("The JVM has no X.509 trust manager");
		}
		catch (IOException | GeneralSecurityException ex) {
			throw Validation.invalid("caFile", String.valueOf(caFile),
					"must be a PEM file of CA certificates (" + ex.getMessage() + ")");
		}
	}

	/**
	 * Returns a key manager without any certificate, which reports that the server asked
	 * for one.
	 * @param problems receives the description
	 * @return the key manager
	 */
	static X509ExtendedKeyManager withoutClientCertificate(Consumer<String> problems) {
		return new NoClientCertificate(problems);
	}

	private static KeyStore trustStore(Path caFile) throws IOException, GeneralSecurityException {
		try (InputStream in = Files.newInputStream(caFile)) {
			Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509")
				.generateCertificates(in);
			if (certificates.isEmpty()) {
				throw new CertificateException("no certificate in the file");
			}
			KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
			store.load(null, null);
			for (Certificate certificate : certificates) {
				store.setCertificateEntry("ca-" + store.size(), certificate);
			}
			return store;
		}
	}

	private static final class ReportingTrustManager extends X509ExtendedTrustManager {

		private final X509ExtendedTrustManager delegate;

		private final String trusted;

		private final Consumer<String> problems;

		ReportingTrustManager(X509ExtendedTrustManager delegate, @Nullable Path caFile, Consumer<String> problems) {
			this.delegate = delegate;
			this.trusted = (caFile != null) ? "the CAs in caFile " + caFile : "the JVM's trust store (no caFile is set)";
			this.problems = problems;
		}

		@Override
		public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
			report(() -> this.delegate.checkServerTrusted(chain, authType));
		}

		@Override
		public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
				throws CertificateException {
			report(() -> this.delegate.checkServerTrusted(chain, authType, socket));
		}

		@Override
		public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
				throws CertificateException {
			report(() -> this.delegate.checkServerTrusted(chain, authType, engine));
		}

		@Override
		public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
			this.delegate.checkClientTrusted(chain, authType);
		}

		@Override
		public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
				throws CertificateException {
			this.delegate.checkClientTrusted(chain, authType, socket);
		}

		@Override
		public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
				throws CertificateException {
			this.delegate.checkClientTrusted(chain, authType, engine);
		}

		@Override
		public X509Certificate[] getAcceptedIssuers() {
			return this.delegate.getAcceptedIssuers();
		}

		private void report(Check check) throws CertificateException {
			try {
				check.run();
			}
			catch (CertificateException ex) {
				this.problems.accept("the server's certificate is not trusted by " + this.trusted + ": "
						+ ex.getMessage() + ". Set caFile (discovery.etcd.ca-file) to the PEM file of the CA that"
						+ " signed it");
				throw ex;
			}
		}

	}

	@FunctionalInterface
	private interface Check {

		void run() throws CertificateException;

	}

	private static final class NoClientCertificate extends X509ExtendedKeyManager {

		private final Consumer<String> problems;

		NoClientCertificate(Consumer<String> problems) {
			this.problems = problems;
		}

		@Override
		public @Nullable String chooseEngineClientAlias(String[] keyType, Principal @Nullable [] issuers,
				SSLEngine engine) {
			return chooseClientAlias(keyType, issuers, null);
		}

		@Override
		public @Nullable String chooseClientAlias(String[] keyType, Principal @Nullable [] issuers,
				@Nullable Socket socket) {
			this.problems.accept("the server requires a client certificate and none is configured: set"
					+ " clientCertFile and clientKeyFile (discovery.etcd.client-cert-file and"
					+ " discovery.etcd.client-key-file) to a certificate signed by a CA the server trusts and its key");
			return null;
		}

		@Override
		public String @Nullable [] getClientAliases(String keyType, Principal @Nullable [] issuers) {
			return null;
		}

		@Override
		public String @Nullable [] getServerAliases(String keyType, Principal @Nullable [] issuers) {
			return null;
		}

		@Override
		public @Nullable String chooseServerAlias(String keyType, Principal @Nullable [] issuers,
				@Nullable Socket socket) {
			return null;
		}

		@Override
		public X509Certificate @Nullable [] getCertificateChain(String alias) {
			return null;
		}

		@Override
		public @Nullable PrivateKey getPrivateKey(String alias) {
			return null;
		}

	}

}
