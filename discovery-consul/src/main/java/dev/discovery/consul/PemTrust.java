package dev.discovery.consul;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import dev.discovery.core.Validation;

/**
 * Builds a TLS context that trusts exactly the certificate authorities of one PEM file,
 * the form Consul's own tooling ({@code consul tls ca create}) writes.
 */
final class PemTrust {

	private PemTrust() {
	}

	/**
	 * Reads the CA certificates and builds the context.
	 * @throws IllegalArgumentException naming the {@code caFile} setting if the file cannot
	 * be read or holds no certificate
	 */
	static SSLContext sslContext(Path caFile) {
		try (InputStream in = Files.newInputStream(caFile)) {
			Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509")
				.generateCertificates(in);
			if (certificates.isEmpty()) {
				throw Validation.invalid("caFile", caFile.toString(), "must hold at least one PEM certificate");
			}
			KeyStore trustStore = KeyStore.getInstance(KeyStore.getDefaultType());
			trustStore.load(null, null);
			int i = 0;
			for (Certificate certificate : certificates) {
				trustStore.setCertificateEntry("ca-" + i++, certificate);
			}
			TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
			trust.init(trustStore);
			SSLContext context = SSLContext.getInstance("TLS");
			context.init(null, trust.getTrustManagers(), null);
			return context;
		}
		catch (IOException | GeneralSecurityException ex) {
			throw Validation.invalid("caFile", caFile.toString(),
					"must be a readable file of PEM CA certificates (" + ex.getMessage() + ")");
		}
	}

}
