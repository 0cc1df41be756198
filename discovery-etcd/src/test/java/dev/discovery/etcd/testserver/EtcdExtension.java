package dev.discovery.etcd.testserver;

import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Gives a test class a real etcd: started before its tests on free loopback ports with a
 * fresh data directory, and killed after them. Register it as a static field with
 * {@code @RegisterExtension}. If etcd cannot be started, the tests fail; they never skip.
 */
public final class EtcdExtension implements BeforeAllCallback, AfterAllCallback {

	private final Supplier<EtcdCluster> starter;

	private final boolean mayUseExisting;

	private @Nullable EtcdCluster cluster;

	private EtcdExtension(Supplier<EtcdCluster> starter, boolean mayUseExisting) {
		this.starter = starter;
		this.mayUseExisting = mayUseExisting;
	}

	/**
	 * An etcd for tests that do not stop servers: the one {@code ETCD_ENDPOINTS} names
	 * (comma-separated URLs), or else a single member started for the class.
	 * @return the extension
	 */
	public static EtcdExtension anyEtcd() {
		return new EtcdExtension(() -> EtcdCluster.start(1), true);
	}

	/**
	 * A cluster of plain-http members owned by the test class, which may kill, pause and
	 * restart them.
	 * @param members how many members
	 * @return the extension
	 */
	public static EtcdExtension ownCluster(int members) {
		return new EtcdExtension(() -> EtcdCluster.start(members), false);
	}

	/**
	 * A single member owned by the test class, started with more flags.
	 * @param scheme {@code http} or {@code https}
	 * @param extraArguments the flags, for example TLS files
	 * @return the extension
	 */
	public static EtcdExtension ownServer(String scheme, List<String> extraArguments) {
		return new EtcdExtension(() -> EtcdCluster.start(1, scheme, extraArguments), false);
	}

	@Override
	public void beforeAll(ExtensionContext context) {
		if (!(this.mayUseExisting && existingEndpoints() != null)) {
			this.cluster = this.starter.get();
		}
	}

	@Override
	public void afterAll(ExtensionContext context) {
		if (this.cluster != null) {
			this.cluster.close();
			this.cluster = null;
		}
	}

	/**
	 * Returns the client URLs to connect to.
	 * @return the endpoints
	 */
	public List<String> endpoints() {
		List<String> existing = this.mayUseExisting ? existingEndpoints() : null;
		return (existing != null) ? existing : cluster().endpoints();
	}

	/**
	 * Returns the cluster this extension started.
	 * @return the cluster
	 * @throws IllegalStateException if the tests use an existing etcd
	 */
	public EtcdCluster cluster() {
		if (this.cluster == null) {
			throw new IllegalStateException("No etcd was started by this extension");
		}
		return this.cluster;
	}

	private static @Nullable List<String> existingEndpoints() {
		String endpoints = System.getenv("ETCD_ENDPOINTS");
		if (endpoints == null || endpoints.isBlank()) {
			return null;
		}
		return Arrays.stream(endpoints.split(",")).map(String::trim).filter((url) -> !url.isEmpty()).toList();
	}

}
