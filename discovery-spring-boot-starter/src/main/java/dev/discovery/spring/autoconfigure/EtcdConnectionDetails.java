package dev.discovery.spring.autoconfigure;

import java.nio.file.Path;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.autoconfigure.service.connection.ConnectionDetails;

/**
 * How to reach etcd. The default reads {@code discovery.etcd.*}; a bean of this type
 * replaces it, for example one supplied by Testcontainers or Docker Compose support.
 */
public interface EtcdConnectionDetails extends ConnectionDetails {

	/**
	 * Returns the endpoints of the cluster.
	 * @return http:// or https:// URLs with a port
	 */
	List<String> getEndpoints();

	/**
	 * Returns the user name for authentication.
	 * @return the user name, or {@code null} without authentication
	 */
	default @Nullable String getUsername() {
		return null;
	}

	/**
	 * Returns the password for authentication.
	 * @return the password, or {@code null} without authentication
	 */
	default @Nullable String getPassword() {
		return null;
	}

	/**
	 * Returns the PEM file of the CA that signed the server certificates.
	 * @return the CA file, or {@code null} to use the JVM's trust store
	 */
	default @Nullable Path getCaFile() {
		return null;
	}

	/**
	 * Returns the PEM file of the client certificate.
	 * @return the certificate file, or {@code null} without client certificate
	 */
	default @Nullable Path getClientCertFile() {
		return null;
	}

	/**
	 * Returns the PEM (PKCS#8) file of the client certificate's key.
	 * @return the key file, or {@code null} without client certificate
	 */
	default @Nullable Path getClientKeyFile() {
		return null;
	}

}
