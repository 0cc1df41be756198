package dev.discovery.spring.autoconfigure;

import java.nio.file.Path;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.autoconfigure.service.connection.ConnectionDetails;

/**
 * How to reach the Consul agent. The default reads {@code discovery.consul.*}; a bean of this
 * type replaces it, for example one supplied by Testcontainers or Docker Compose support.
 */
public interface ConsulConnectionDetails extends ConnectionDetails {

	/**
	 * Returns the agent's host.
	 * @return the host
	 */
	String getHost();

	/**
	 * Returns the agent's HTTP(S) port.
	 * @return the port
	 */
	int getPort();

	/**
	 * Returns the scheme of the agent's API.
	 * @return {@code http} or {@code https}
	 */
	default String getScheme() {
		return "http";
	}

	/**
	 * Returns the ACL token sent on every call.
	 * @return the token, or {@code null} without ACLs
	 */
	default @Nullable String getToken() {
		return null;
	}

	/**
	 * Returns the PEM file of the CA that signed the agent's certificate.
	 * @return the CA file, or {@code null}
	 */
	default @Nullable Path getCaFile() {
		return null;
	}

}
