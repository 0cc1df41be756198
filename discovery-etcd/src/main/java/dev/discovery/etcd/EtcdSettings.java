package dev.discovery.etcd;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The validated settings of an {@link EtcdBackend}. Immutable; {@link #toString()} never
 * shows the password.
 *
 * @param endpoints the client URLs, all of one scheme
 * @param namespace the first segment of every key
 * @param ttl the lease TTL
 * @param username the user name, or {@code null} without authentication
 * @param password the password, or {@code null} without authentication
 * @param caFile the PEM CA that verifies the servers, or {@code null} for the JVM trust store
 * @param clientCertFile the PEM client certificate, or {@code null}
 * @param clientKeyFile the PEM PKCS#8 client key, or {@code null}
 * @param requestTimeout the deadline of every request
 */
record EtcdSettings(List<URI> endpoints, String namespace, Duration ttl, @Nullable String username,
		@Nullable String password, @Nullable Path caFile, @Nullable Path clientCertFile, @Nullable Path clientKeyFile,
		Duration requestTimeout) {

	boolean tls() {
		return this.caFile != null || this.endpoints.get(0).getScheme().equals("https");
	}

	/**
	 * Describes the target for messages: the endpoints and the user, never the password.
	 * @return the description
	 */
	String target() {
		return "etcd " + this.endpoints + ((this.username != null) ? " as user '" + this.username + "'" : "");
	}

	@Override
	public String toString() {
		return "EtcdSettings[endpoints=" + this.endpoints + ", namespace=" + this.namespace + ", ttl=" + this.ttl
				+ ", username=" + this.username + ", password=" + ((this.password != null) ? "******" : null)
				+ ", caFile=" + this.caFile + ", clientCertFile=" + this.clientCertFile + ", clientKeyFile="
				+ this.clientKeyFile + ", requestTimeout=" + this.requestTimeout + "]";
	}

}
