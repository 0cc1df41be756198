package dev.discovery.etcd;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import dev.discovery.core.BackendHealth;
import dev.discovery.core.Backoff;
import dev.discovery.core.DiscoveryBackend;
import dev.discovery.core.DiscoveryException;
import dev.discovery.core.Registration;
import dev.discovery.core.ServiceInstance;
import dev.discovery.core.Validation;
import dev.discovery.etcd.EtcdKeys.InstanceKey;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.options.GetOption;
import io.netty.handler.ssl.SslContext;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link DiscoveryBackend} on etcd v3. Thread-safe.
 * <p>
 * Each instance is stored at {@code /{namespace}/services/{service}/{instanceId}} as JSON
 * with a format version. All registrations of one backend share one lease, renewed every
 * third of the TTL with a KeepAlive request that has a deadline of its own and may go to any
 * member; failed renewals are retried until etcd answers. When etcd answers that it no
 * longer knows the lease, every open registration goes to {@code LOST} and is written again
 * under a new lease, with capped exponential back-off and jitter, until it succeeds or is
 * closed.
 * Deregistering deletes the key; {@link #close()} revokes the lease.
 * <p>
 * A lookup reads the service's prefix; a burst of first lookups of many services is
 * answered from one paged read of the namespace instead, read only as far as the lookups pay
 * for it. A watch takes the read that just answered a lookup of its service, or reads the
 * prefix itself, and watches from the next revision; watches asked for during such a burst
 * start when it pauses (half a second later at most). A watch that etcd ends is read and
 * watched again; after etcd was out of reach for a whole TTL, instances that disappear are
 * kept for one more TTL unless written again, because etcd then expires the leases of live
 * owners too. Only services that were asked for are watched. Keys under the prefix that are
 * not valid instances are skipped with one warning each. Every request has the request
 * timeout: during an outage calls fail with a {@link DiscoveryException} instead of hanging.
 * A member that stops answering but keeps its connections open (frozen, or behind a network
 * black hole) costs the lease one renewal, and a watch served by it is moved to another
 * member within 2¼ request timeouts, when a progress request goes unanswered; gRPC
 * drops the connection itself within 10 s plus the request timeout. {@link #health()} reads
 * the result of a cheap probe sent every second and never waits on the network.
 * <p>
 * Threads: besides jetcd's own (an executor of two and a Vert.x event loop), one scheduler
 * thread (probe, lease renewals, watch bookkeeping), one restore thread started at the first
 * lease loss or status change, and watch delivery threads that end after a minute idle.
 */
public final class EtcdBackend implements DiscoveryBackend {

	private static final Logger logger = LoggerFactory.getLogger(EtcdBackend.class);

	private static final String NAME = "etcd";

	private static final Backoff RETRY_BACKOFF = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(2));

	private static final Duration PROBE_INTERVAL = Duration.ofSeconds(1);

	/**
	 * How often per request timeout the watches' progress is checked, which bounds how late
	 * a check comes to an eighth of the timeout.
	 */
	private static final int PROGRESS_CHECKS_PER_TIMEOUT = 8;

	private static final AtomicInteger backendCount = new AtomicInteger();

	private final EtcdSettings settings;

	private final Client client;

	private final KV kv;

	private final EtcdKeys keys;

	private final InstanceReader reader;

	private final EtcdRequests requests;

	private final Connectivity connectivity;

	private final Registrations registrations;

	private final ServiceReads reads;

	private final WatchStarts watchStarts;

	private final ScheduledThreadPoolExecutor scheduler;

	private final ScheduledThreadPoolExecutor restorer;

	private final ExecutorService deliveries;

	private final Set<ServiceWatch> watches = ConcurrentHashMap.newKeySet();

	private volatile boolean closed;

	private EtcdBackend(EtcdSettings settings, Connectivity connectivity, @Nullable SslContext sslContext) {
		this.settings = settings;
		this.connectivity = connectivity;
		this.client = EtcdClients.create(settings, sslContext);
		this.kv = this.client.getKVClient();
		this.keys = new EtcdKeys(settings.namespace());
		InstanceCodec codec = new InstanceCodec();
		this.reader = new InstanceReader(this.keys, codec);
		JetcdChannel channel = new JetcdChannel(this.client, settings.requestTimeout());
		this.requests = new EtcdRequests(settings, this.connectivity, channel::replaceConnections);
		int number = backendCount.incrementAndGet();
		this.scheduler = daemonScheduler("discovery-etcd-" + number + "-scheduler");
		this.restorer = daemonScheduler("discovery-etcd-" + number + "-restore");
		this.deliveries = Executors.newCachedThreadPool(daemonThreads("discovery-etcd-" + number + "-watch"));
		this.registrations = new Registrations(this.kv, this.client.getLeaseClient(), this.keys, codec, this.requests,
				Math.max(1, (settings.ttl().toMillis() + 999) / 1000), this.scheduler, this.restorer, RETRY_BACKOFF);
		Burst burst = new Burst();
		this.reads = new ServiceReads(this.kv, this.keys, this.reader, this.requests, this.scheduler,
				this.registrations::lastWriteRevision, burst);
		this.watchStarts = new WatchStarts(burst, this.scheduler);
		HealthProbe probe = new HealthProbe(this.kv, this.client.getLeaseClient(), this.registrations.leaseKeeper(),
				this.keys.allServices(), this.requests, this.connectivity, this.scheduler,
				channel::reconnectNow);
		this.scheduler.scheduleWithFixedDelay(probe, 0, PROBE_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
		long progressInterval = settings.requestTimeout().toNanos() / PROGRESS_CHECKS_PER_TIMEOUT;
		this.scheduler.scheduleWithFixedDelay(this::checkWatchProgress, progressInterval, progressInterval,
				TimeUnit.NANOSECONDS);
	}

	/**
	 * Gives the first backend on the given endpoints a head start: loads the classes of the
	 * etcd client (jetcd, gRPC, Netty, Vert.x) and of the JSON that registrations write and,
	 * when every endpoint is a plain {@code http} URL, reads from them once (a count of one
	 * key, which changes nothing), so that the classes of a connection and of a request are
	 * loaded as well. Meant for a background thread while an application starts: it may run
	 * at any time, from any thread, any number of times, and waits at most 2 s for its read.
	 * It never throws; a failure only loses the head start, and a backend built later reports
	 * any real problem itself.
	 * @param endpoints the endpoints the backend will be built with, as given to
	 * {@link Builder#endpoints(List)}; endpoints with TLS or that do not parse are not read
	 */
	public static void preloadClient(List<String> endpoints) {
		try {
			InstanceCodec.preload();
			EtcdClients.preload(EtcdClients.plainHttp(endpoints));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (RuntimeException | LinkageError ex) {
			logger.debug("Preloading the etcd client failed; the first backend loads it instead", ex);
		}
	}

	/**
	 * Starts a builder with the defaults: endpoint {@code http://127.0.0.1:2379}, namespace
	 * {@code discovery}, TTL 10 s, request timeout 5 s, no authentication, no TLS.
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Writes the instance under this backend's lease and keeps it there until the handle is
	 * closed.
	 * @throws DiscoveryException if etcd did not take it within the request timeout, with
	 * the reason (for example that authentication failed for the user)
	 */
	@Override
	public Registration register(ServiceInstance instance) {
		ensureOpen();
		return this.registrations.register(instance);
	}

	/**
	 * Reads the service's instances from etcd; a first lookup in a burst of first lookups of
	 * many services may instead be answered, without a request, from one read of the whole
	 * namespace, as {@link ServiceReads} describes: then the answer may be up to a second old,
	 * but never older than this backend's own writes or an earlier answer for the service.
	 * @throws DiscoveryException if etcd did not answer within the request timeout
	 */
	@Override
	public List<ServiceInstance> instances(String service) {
		String name = Validation.serviceName(service);
		ensureOpen();
		return this.reads.read(name).list();
	}

	/**
	 * Reads the service names from the keys under the namespace; keys that do not have the
	 * layout of an instance key with valid, lower-case names are left out, with one warning
	 * per key and version.
	 */
	@Override
	public Set<String> services() {
		ensureOpen();
		Set<String> services = new TreeSet<>();
		GetOption keysOnly = GetOption.builder().isPrefix(true).withKeysOnly(true).build();
		for (KeyValue keyValue : read(this.kv.get(this.keys.allServices(), keysOnly), "listing services")) {
			InstanceKey key = this.reader.names(keyValue);
			if (key != null) {
				services.add(key.service());
			}
		}
		return Set.copyOf(services);
	}

	@Override
	public AutoCloseable watch(String service, Consumer<List<ServiceInstance>> listener) {
		String name = Validation.serviceName(service);
		ensureOpen();
		ServiceWatch watch = new ServiceWatch(name, this.keys.service(name), this.kv, this.client.getWatchClient(),
				this.reader, this.requests, this.scheduler, this.deliveries, RETRY_BACKOFF, this.settings.ttl(), listener);
		this.watches.add(watch);
		ServiceRead recent = this.reads.takeRecent(name);
		this.watchStarts.start(() -> watch.start(recent));
		return () -> {
			this.watches.remove(watch);
			watch.close();
		};
	}

	/**
	 * Reports whether the last request or probe (sent every second) was answered by a
	 * cluster with a leader, with the lease and the number of registrations. Never waits on
	 * the network; never shows credentials.
	 */
	@Override
	public BackendHealth health() {
		String error = this.connectivity.error();
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("endpoints", this.settings.endpoints().stream().map(URI::toString).toList());
		details.put("namespace", this.settings.namespace());
		details.put("leaderKnown", error == null);
		if (this.connectivity.memberId() != 0) {
			details.put("memberId", Long.toHexString(this.connectivity.memberId()));
			details.put("raftTerm", this.connectivity.raftTerm());
		}
		LeaseKeeper lease = this.registrations.leaseKeeper();
		details.put("leaseState", lease.state().name());
		if (lease.leaseId() != 0) {
			details.put("leaseId", Long.toHexString(lease.leaseId()));
		}
		details.put("registrations", this.registrations.size());
		details.put("watches", this.watches.size());
		details.put("errors", this.connectivity.failures());
		return (error == null) ? BackendHealth.reachable(NAME, details) : BackendHealth.unreachable(NAME, error, details);
	}

	/**
	 * Ends every watch, revokes the lease (which deletes every registration at once), and
	 * releases the client and threads. Idempotent; never throws.
	 */
	@Override
	public void close() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		this.watches.forEach(ServiceWatch::close);
		this.watches.clear();
		this.registrations.close(true);
		release();
	}

	/**
	 * Stops this backend the way a killed process stops: the keep-alive ends and nothing is
	 * revoked or deleted, so the registrations expire with the TTL. For tests.
	 */
	void crash() {
		this.closed = true;
		this.registrations.close(false);
		release();
	}

	/**
	 * Returns the reads that answer lookups. For tests.
	 * @return the reads
	 */
	ServiceReads reads() {
		return this.reads;
	}

	@Override
	public String toString() {
		return "EtcdBackend[" + this.settings + "]";
	}

	private void checkWatchProgress() {
		for (ServiceWatch watch : this.watches) {
			try {
				watch.checkProgress();
			}
			catch (RuntimeException ex) {
				logger.warn("Could not check the progress of a watch; it is checked again shortly", ex);
			}
		}
	}

	private List<KeyValue> read(CompletableFuture<GetResponse> request, String operation) {
		return this.requests.await(request, operation).getKvs();
	}

	private void release() {
		this.reads.close();
		this.watchStarts.close();
		this.scheduler.shutdownNow();
		this.restorer.shutdownNow();
		this.deliveries.shutdown();
		this.client.close();
	}

	private void ensureOpen() {
		if (this.closed) {
			throw new IllegalStateException("The etcd backend is closed");
		}
	}

	private static ScheduledThreadPoolExecutor daemonScheduler(String name) {
		ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, daemonThreads(name),
				new ThreadPoolExecutor.DiscardPolicy());
		executor.setRemoveOnCancelPolicy(true);
		return executor;
	}

	private static ThreadFactory daemonThreads(String name) {
		AtomicInteger count = new AtomicInteger();
		return (task) -> {
			Thread thread = new Thread(task, name + ((count.incrementAndGet() > 1) ? "-" + count.get() : ""));
			thread.setDaemon(true);
			return thread;
		};
	}

	/**
	 * Collects the settings of an {@link EtcdBackend}; {@link #build()} checks them all.
	 * Not thread-safe.
	 */
	public static final class Builder {

		private static final Pattern NAMESPACE = Pattern.compile("[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*");

		private static final int MAX_NAMESPACE_LENGTH = 128;

		private static final Pattern USER_INFO = Pattern.compile("//[^/]*@");

		private List<@Nullable String> endpoints = List.of("http://127.0.0.1:2379");

		private String namespace = "discovery";

		private Duration ttl = Duration.ofSeconds(10);

		private @Nullable String username;

		private @Nullable String password;

		private @Nullable Path caFile;

		private @Nullable Path clientCertFile;

		private @Nullable Path clientKeyFile;

		private Duration requestTimeout = Duration.ofSeconds(5);

		private Builder() {
		}

		/**
		 * Sets the client URLs of the etcd members; several make a cluster. Default
		 * {@code http://127.0.0.1:2379}.
		 * @param endpoints URLs like {@code http://host:2379} or {@code https://host:2379}
		 * @return this builder
		 */
		public Builder endpoints(String... endpoints) {
			return endpoints(Arrays.asList(endpoints));
		}

		/**
		 * Sets the client URLs of the etcd members; several make a cluster.
		 * @param endpoints URLs like {@code http://host:2379} or {@code https://host:2379}
		 * @return this builder
		 */
		public Builder endpoints(List<String> endpoints) {
			this.endpoints = Collections.unmodifiableList(new ArrayList<>(endpoints));
			return this;
		}

		/**
		 * Sets the first key segment, so that several systems can share one etcd. Default
		 * {@code discovery}.
		 * @param namespace segments of {@code [A-Za-z0-9._-]} separated by {@code /}
		 * @return this builder
		 */
		public Builder namespace(String namespace) {
			this.namespace = namespace;
			return this;
		}

		/**
		 * Sets the lease TTL: how long a registration outlives its owner. Default 10 s;
		 * rounded up to whole seconds.
		 * @param ttl at least one second
		 * @return this builder
		 */
		public Builder ttl(Duration ttl) {
			this.ttl = ttl;
			return this;
		}

		/**
		 * Sets the user for etcd authentication; requires a password.
		 * @param username the user, or {@code null} without authentication
		 * @return this builder
		 */
		public Builder username(@Nullable String username) {
			this.username = username;
			return this;
		}

		/**
		 * Sets the password for etcd authentication; never logged or shown.
		 * @param password the password, or {@code null} without authentication
		 * @return this builder
		 */
		public Builder password(@Nullable String password) {
			this.password = password;
			return this;
		}

		/**
		 * Sets the CA that verifies the servers' certificates, and enables TLS. Without it,
		 * {@code https} endpoints are verified with the JVM's trust store.
		 * @param caFile a PEM file of CA certificates, or {@code null}
		 * @return this builder
		 */
		public Builder caFile(@Nullable Path caFile) {
			this.caFile = caFile;
			return this;
		}

		/**
		 * Sets the client certificate for TLS client authentication; requires the key.
		 * @param certFile a PEM certificate (chain), or {@code null}
		 * @return this builder
		 */
		public Builder clientCertFile(@Nullable Path certFile) {
			this.clientCertFile = certFile;
			return this;
		}

		/**
		 * Sets the key of the client certificate; requires the certificate.
		 * @param keyFile a PEM PKCS#8 private key, or {@code null}
		 * @return this builder
		 */
		public Builder clientKeyFile(@Nullable Path keyFile) {
			this.clientKeyFile = keyFile;
			return this;
		}

		/**
		 * Sets the deadline of every request to etcd. Default 5 s.
		 * @param timeout a positive duration
		 * @return this builder
		 */
		public Builder requestTimeout(Duration timeout) {
			this.requestTimeout = timeout;
			return this;
		}

		/**
		 * Checks every setting, then creates the backend. Nothing is sent to etcd until the
		 * first request.
		 * @return the backend
		 * @throws IllegalArgumentException if a setting is invalid; the message names the
		 * setting, its value (never a password) and the rule
		 */
		public EtcdBackend build() {
			EtcdSettings settings = new EtcdSettings(endpointUris(), namespace(), ttlOfWholeSeconds(),
					this.username, this.password, readable("caFile", this.caFile),
					readable("clientCertFile", this.clientCertFile), readable("clientKeyFile", this.clientKeyFile),
					Validation.positive("requestTimeout", this.requestTimeout));
			checkCredentials();
			checkClientCertificate();
			Connectivity connectivity = new Connectivity();
			return new EtcdBackend(settings, connectivity,
					EtcdClients.sslContext(settings, connectivity::handshakeFailed));
		}

		private List<URI> endpointUris() {
			if (this.endpoints.isEmpty()) {
				throw Validation.invalid("endpoints", "[]", "must name at least one URL like http://127.0.0.1:2379");
			}
			List<URI> uris = new ArrayList<>();
			for (String endpoint : this.endpoints) {
				uris.add(endpoint(endpoint));
			}
			if (uris.stream().map(URI::getScheme).distinct().count() > 1) {
				throw Validation.invalid("endpoints", String.join(",", this.endpoints),
						"must all use the same scheme, http or https");
			}
			return List.copyOf(uris);
		}

		private static URI endpoint(@Nullable String endpoint) {
			String rule = "must be a URL with scheme http or https, a host and a port, like http://127.0.0.1:2379";
			if (endpoint == null) {
				throw Validation.invalid("endpoint", null, rule);
			}
			String shown = USER_INFO.matcher(endpoint).replaceFirst("//******@");
			URI uri;
			try {
				uri = new URI(endpoint);
			}
			catch (URISyntaxException ex) {
				throw Validation.invalid("endpoint", shown, rule);
			}
			if (uri.getScheme() == null || uri.getHost() == null) {
				throw Validation.invalid("endpoint", shown, rule);
			}
			if (!uri.getScheme().equals("http") && !uri.getScheme().equals("https")) {
				throw Validation.invalid("endpoint", shown, "has the unknown scheme '" + uri.getScheme()
						+ "': " + rule);
			}
			if (uri.getPort() == -1) {
				throw Validation.invalid("endpoint", shown, "has no port: " + rule);
			}
			if (uri.getPort() < 1 || uri.getPort() > 65535) {
				throw Validation.invalid("endpoint", shown, "has a port outside 1-65535: " + rule);
			}
			if (uri.getRawUserInfo() != null) {
				throw Validation.invalid("endpoint", shown, "must not have user info (set username and password "
						+ "instead): " + rule);
			}
			boolean bare = (uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/"))
					&& uri.getRawQuery() == null && uri.getRawFragment() == null;
			if (!bare) {
				throw Validation.invalid("endpoint", shown, "must not have a path, query or fragment: " + rule);
			}
			return URI.create(uri.getScheme() + "://" + uri.getRawAuthority());
		}

		private String namespace() {
			if (this.namespace == null || this.namespace.length() > MAX_NAMESPACE_LENGTH
					|| !NAMESPACE.matcher(this.namespace).matches()) {
				throw Validation.invalid("namespace", this.namespace, "must be 1-" + MAX_NAMESPACE_LENGTH
						+ " characters: segments of [A-Za-z0-9._-] separated by '/', without a leading or trailing '/'");
			}
			return this.namespace;
		}

		private Duration ttlOfWholeSeconds() {
			Validation.positive("ttl", this.ttl);
			if (this.ttl.compareTo(Duration.ofSeconds(1)) < 0) {
				throw Validation.invalid("ttl", this.ttl.toString(), "must be at least 1 second (etcd leases count seconds)");
			}
			return this.ttl;
		}

		private void checkCredentials() {
			if (this.username != null && this.username.isBlank()) {
				throw Validation.invalid("username", this.username, "must not be blank");
			}
			if ((this.username == null) != (this.password == null)) {
				String missing = (this.username == null) ? "username" : "password";
				throw Validation.invalid(missing, null, "must be set when "
						+ ((this.username == null) ? "password" : "username") + " is set");
			}
		}

		private void checkClientCertificate() {
			if ((this.clientCertFile == null) != (this.clientKeyFile == null)) {
				String missing = (this.clientCertFile == null) ? "clientCertFile" : "clientKeyFile";
				String present = (this.clientCertFile == null) ? "clientKeyFile" : "clientCertFile";
				throw Validation.invalid(missing, null, "must be set when " + present + " is set");
			}
		}

		private static @Nullable Path readable(String field, @Nullable Path file) {
			if (file != null && !(Files.isRegularFile(file) && Files.isReadable(file))) {
				throw Validation.invalid(field, file.toString(), "must be a readable file");
			}
			return file;
		}

	}

}
