package dev.discovery.consul;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import javax.net.ssl.SSLContext;

import dev.discovery.core.BackendHealth;
import dev.discovery.core.Backoff;
import dev.discovery.core.DiscoveryBackend;
import dev.discovery.core.DiscoveryException;
import dev.discovery.core.Registration;
import dev.discovery.core.ServiceInstance;
import dev.discovery.core.Validation;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link DiscoveryBackend} on a Consul agent. Thread-safe.
 * <p>
 * Registration goes through the agent ({@code /v1/agent/service/register}) with tags,
 * metadata, the weight as {@code Weights.Passing}, and a check: by default a TTL check the
 * backend passes every TTL / 3, or an HTTP check Consul runs against the instance.
 * {@code DeregisterCriticalServiceAfter} is always set, so that an instance whose process
 * died leaves Consul by itself. When the agent forgets an instance (it restarted, or
 * reaped it) the backend registers it again, with back-off. Statuses map to checks as
 * {@link StatusMapping} describes; OUT_OF_SERVICE is maintenance mode.
 * <p>
 * Discovery reads {@code /v1/health/service/{name}} and returns instances in every status.
 * The backend opens at most {@link Builder#maxConnections(int) maxConnections} connections to
 * its agent, and its threads do not grow with the number of watched services: some watches
 * hold a blocking query on a connection and thread of their own, and the
 * {@link ChangeDetector} follows the others with one blocking query on the state of every
 * check, after which only the services that changed are read again; a
 * {@link WatchPlacement} gives the blocking queries to the services that changed last. Over
 * https, where the agent multiplexes HTTP/2, blocking queries share connections instead, up
 * to {@value MultiplexedAgent#STREAMS_PER_CONNECTION} to each ({@link MultiplexedAgent}), and
 * need no thread of their own. The ACL token is
 * sent on every call and never appears in messages, logs, {@link #toString()} or health.
 */
public final class ConsulBackend implements DiscoveryBackend {

	private static final Logger logger = LoggerFactory.getLogger(ConsulBackend.class);

	private static final String NAME = "consul";

	private static final Duration MAX_PROBE_PERIOD = Duration.ofSeconds(10);

	private static final int DELIVERY_THREADS = 4;

	private static final int STREAM_THREADS = 2;

	private static final Duration SLOT_MIN_IDLE = Duration.ofSeconds(10);

	private final ConsulHttp http;

	private final ConsulAgent agent;

	private final AgentHealth agentHealth;

	private final CheckSettings check;

	private final Duration watchWait;

	private final Backoff restoreBackoff;

	private final Map<String, ConsulRegistration> registrations = new ConcurrentHashMap<>();

	private final WatchPlacement placement;

	private final LongSupplier clock;

	private final ScheduledExecutorService scheduler;

	private final ThreadPoolExecutor deliveries;

	private final ThreadPoolExecutor reads;

	private final @Nullable ThreadPoolExecutor streamWork;

	private final @Nullable MultiplexedAgent multiplexed;

	private final AtomicBoolean closed = new AtomicBoolean();

	private ConsulBackend(Builder builder, @Nullable SSLContext sslContext) {
		this.agentHealth = new AgentHealth(this::agentReturned);
		this.http = new ConsulHttp(builder.scheme, builder.host, builder.port, builder.token, sslContext,
				builder.requestTimeout, this.agentHealth);
		ConnectionBudget budget = new ConnectionBudget(builder.maxConnections);
		this.agent = this.http.openShared(budget.shared());
		this.check = new CheckSettings(builder.checkType, builder.ttl, builder.checkPath, builder.checkPort,
				builder.checkSecure, builder.checkInterval, builder.checkTlsSkipVerify, builder.checkFailuresBeforeCritical,
				builder.checkSuccessesBeforePassing, builder.deregisterCriticalAfter);
		this.watchWait = builder.watchWait;
		this.restoreBackoff = new Backoff(Duration.ofMillis(200), builder.ttl);
		ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(2,
				daemonThreads("discovery-consul-heartbeat"));
		scheduler.setRemoveOnCancelPolicy(true);
		this.scheduler = scheduler;
		this.deliveries = boundedPool(DELIVERY_THREADS, "discovery-consul-delivery");
		this.reads = boundedPool(budget.shared(), "discovery-consul-read");
		ChangeDetector detector = new ChangeDetector(this.http.openForWatch(this.watchWait),
				this.watchWait.toSeconds(), this::changeDetected);
		this.clock = builder.clock;
		int queryConnections = budget.blockingQueries();
		WatchPlacement.Streams streams = WatchPlacement.Streams.NONE;
		if ("https".equals(builder.scheme)) {
			this.streamWork = boundedPool(STREAM_THREADS, "discovery-consul-stream");
			this.multiplexed = this.http.openMultiplexed(this.watchWait, this.streamWork, this.scheduler,
					daemonThreads("discovery-consul-http2"), this::streamsReady, this::streamsLost);
			streams = new StreamedWatches(this.multiplexed, this.watchWait.toSeconds(), this.scheduler);
		}
		else {
			this.streamWork = null;
			this.multiplexed = null;
		}
		this.placement = new WatchPlacement(queryConnections, streams, SLOT_MIN_IDLE.toNanos(), this.clock,
				(watch) -> new ServiceWatch(watch, this.http.openForWatch(this.watchWait), this.watchWait),
				(watch) -> new DetectedWatch(watch, this.agent, this.agentHealth, this.reads, this.scheduler,
						detector::remove),
				detector);
		Duration probePeriod = min(this.check.heartbeatPeriod(), MAX_PROBE_PERIOD);
		this.scheduler.scheduleWithFixedDelay(this::probeLeader, 0, probePeriod.toMillis(), TimeUnit.MILLISECONDS);
	}

	/**
	 * Starts a builder with the defaults: agent {@code http://127.0.0.1:8500}, no token, a
	 * 10 s TTL check, deregistration after 1 minute critical.
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Registers the instance with the agent and keeps it registered until the handle is
	 * closed. Registering an id this backend already holds replaces that registration.
	 * @throws DiscoveryException if the agent refused (an ACL denial names the token
	 * setting) or could not be reached; nothing is left registered then
	 * @throws IllegalArgumentException if the metadata plus the backend's own {@code Meta}
	 * keys exceed Consul's 64
	 */
	@Override
	public Registration register(ServiceInstance instance) {
		ensureOpen();
		ConsulRegistration registration = new ConsulRegistration(instance, this.agent, this.check, this.scheduler,
				this.restoreBackoff, (closing) -> this.registrations.remove(closing.instance().id(), closing));
		registration.start();
		ConsulRegistration earlier = this.registrations.put(instance.id(), registration);
		if (earlier != null) {
			earlier.supersede();
		}
		return registration;
	}

	@Override
	public List<ServiceInstance> instances(String service) {
		String name = Validation.serviceName(service);
		ensureOpen();
		return this.agent.health(name, 0, 0).instances();
	}

	@Override
	public Set<String> services() {
		ensureOpen();
		return this.agent.services();
	}

	/**
	 * Watches a service. While fewer watches than the budget allows hold a blocking query of
	 * their own, this one gets one too and sees a change within one round trip: over https,
	 * once the agent answered over HTTP/2, a stream on a shared connection; otherwise a thread
	 * and an agent connection. Beyond the budget the change detector follows it, at the cost
	 * of one read of the state of every check in the datacenter per change, until a change
	 * of its service moves it to a free stream or to the slot of a service that has been quiet
	 * for 10 s.
	 */
	@Override
	public AutoCloseable watch(String service, Consumer<List<ServiceInstance>> listener) {
		String name = Validation.serviceName(service);
		ensureOpen();
		ConsulWatch watch = new ConsulWatch(name, this.deliveries, listener, this.clock);
		this.placement.add(watch);
		return () -> this.placement.remove(watch);
	}

	/**
	 * Reports whether the agent answered the last call, the leader it knows, and every
	 * registration's state. A refusal by the agent (such as an ACL denial) or a failing
	 * registration makes {@code error} non-null while the agent is reachable.
	 */
	@Override
	public BackendHealth health() {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("agent", this.http.address());
		details.put("leader", describeLeader());
		Map<String, String> states = new TreeMap<>();
		List<String> problems = new ArrayList<>(this.agentHealth.refusals());
		for (ConsulRegistration registration : this.registrations.values()) {
			ServiceInstance instance = registration.instance();
			states.put(instance.service() + "/" + instance.id(), registration.state().name());
			if (registration.lastError() != null) {
				problems.add(registration.lastError());
			}
		}
		details.put("registrations", states);
		details.put("watches", this.placement.size());
		details.put("blockingQueries", this.placement.blockingQueries());
		if (this.multiplexed != null) {
			details.put("http2Streams", this.multiplexed.describe());
		}
		details.put("pendingReads", this.reads.getQueue().size() + this.reads.getActiveCount());
		details.put("requests", this.agentHealth.requests());
		details.put("errors", this.agentHealth.failures());
		String unreachable = this.agentHealth.unreachableReason();
		if (unreachable != null) {
			return BackendHealth.unreachable(NAME, unreachable, details);
		}
		if (Boolean.FALSE.equals(this.agentHealth.leaderKnown())) {
			problems.add("Consul agent at " + this.http.address() + " knows no cluster leader");
		}
		return problems.isEmpty() ? BackendHealth.reachable(NAME, details)
				: new BackendHealth(NAME, true, String.join("; ", problems), details);
	}

	/**
	 * Closes every watch, deregisters every registration, and ends the backend's threads.
	 * Idempotent.
	 */
	@Override
	public void close() {
		if (!this.closed.compareAndSet(false, true)) {
			return;
		}
		this.placement.close();
		if (this.multiplexed != null) {
			this.multiplexed.close();
		}
		List.copyOf(this.registrations.values()).forEach(ConsulRegistration::close);
		this.scheduler.shutdownNow();
		this.reads.shutdownNow();
		if (this.streamWork != null) {
			this.streamWork.shutdown();
		}
		this.deliveries.shutdown();
		this.agent.close();
	}

	/**
	 * Stops every heartbeat at once without deregistering, as a killed process would; for
	 * tests of expiry.
	 */
	void crash() {
		this.scheduler.shutdownNow();
	}

	@Override
	public String toString() {
		return "ConsulBackend[agent=" + this.http.address() + ", check=" + this.check.type() + "]";
	}

	private void changeDetected(DetectedWatch source) {
		this.placement.changed(source);
	}

	private void streamsReady() {
		this.placement.streamsReady();
	}

	private void streamsLost() {
		this.placement.streamsLost();
	}

	private void probeLeader() {
		this.placement.probeStreams();
		try {
			this.agentHealth.leader(this.agent.leader());
		}
		catch (RuntimeException ex) {
			logger.debug("Could not read the leader from the Consul agent: {}", ex.getMessage());
		}
	}

	private String describeLeader() {
		Boolean known = this.agentHealth.leaderKnown();
		if (known == null) {
			return "not read yet";
		}
		return known ? Objects.requireNonNull(this.agentHealth.leader()) : "none";
	}

	private void agentReturned() {
		try {
			this.scheduler.execute(() -> this.registrations.values().forEach(ConsulRegistration::checkNow));
		}
		catch (RejectedExecutionException ex) {
			logger.debug("Closing; the registrations are not checked again");
		}
	}

	private void ensureOpen() {
		if (this.closed.get()) {
			throw new IllegalStateException("The Consul backend is closed");
		}
	}

	private static Duration min(Duration a, Duration b) {
		return (a.compareTo(b) <= 0) ? a : b;
	}

	private static ThreadPoolExecutor boundedPool(int threads, String prefix) {
		ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 1, TimeUnit.MINUTES,
				new LinkedBlockingQueue<>(), daemonThreads(prefix));
		pool.allowCoreThreadTimeOut(true);
		return pool;
	}

	private static ThreadFactory daemonThreads(String prefix) {
		AtomicInteger count = new AtomicInteger();
		return (runnable) -> {
			Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
	}

	/** The kind of check Consul runs on each registered instance. */
	public enum CheckType {

		/** The backend passes a TTL check every TTL / 3 while the registration is open. */
		TTL,

		/**
		 * Consul calls the instance's host on {@code checkPort} with {@code checkSecure}'s
		 * scheme (by default the instance's port and scheme) at {@code checkPath} every check
		 * interval.
		 */
		HTTP

	}

	/**
	 * Collects the settings of a {@link ConsulBackend}; {@link #build()} checks them all.
	 * Not thread-safe.
	 */
	public static final class Builder {

		private static final Duration MIN_TTL = Duration.ofSeconds(1);

		private static final Duration MIN_CHECK_INTERVAL = Duration.ofSeconds(1);

		private static final Duration MIN_DEREGISTER_AFTER = Duration.ofMinutes(1);

		private static final Duration MAX_WATCH_WAIT = Duration.ofMinutes(5);

		private static final Duration MAX_REQUEST_TIMEOUT = Duration.ofMinutes(10);

		private static final int MAX_CONNECTIONS = 10_000;

		private String host = "127.0.0.1";

		private int port = 8500;

		private String scheme = "http";

		private @Nullable String token;

		private Duration ttl = Duration.ofSeconds(10);

		private CheckType checkType = CheckType.TTL;

		private String checkPath = "/actuator/health";

		private @Nullable Integer checkPort;

		private @Nullable Boolean checkSecure;

		private Duration checkInterval = Duration.ofSeconds(10);

		private boolean checkTlsSkipVerify;

		private int checkFailuresBeforeCritical = 3;

		private int checkSuccessesBeforePassing = 1;

		private Duration deregisterCriticalAfter = Duration.ofMinutes(1);

		private @Nullable Path caFile;

		private Duration requestTimeout = Duration.ofSeconds(5);

		private Duration watchWait = Duration.ofMinutes(5);

		private int maxConnections = 16;

		private LongSupplier clock = System::nanoTime;

		private Builder() {
		}

		/**
		 * Sets the agent's host.
		 * @param host a host name or IP address; default {@code 127.0.0.1}
		 * @return this builder
		 */
		public Builder host(String host) {
			this.host = host;
			return this;
		}

		/**
		 * Sets the agent's HTTP(S) port.
		 * @param port 1-65535; default 8500
		 * @return this builder
		 */
		public Builder port(int port) {
			this.port = port;
			return this;
		}

		/**
		 * Sets how to speak to the agent.
		 * @param scheme {@code http} (default) or {@code https}
		 * @return this builder
		 */
		public Builder scheme(String scheme) {
			this.scheme = scheme;
			return this;
		}

		/**
		 * Sets the ACL token sent on every call, as the {@code X-Consul-Token} header. It never
		 * appears in messages, logs or health.
		 * @param token the token, or {@code null} (or blank) for none
		 * @return this builder
		 */
		public Builder token(@Nullable String token) {
			this.token = (token == null || token.isBlank()) ? null : token;
			return this;
		}

		/**
		 * Sets the TTL of the TTL check; the backend passes it every TTL / 3.
		 * @param ttl at least 1 s; default 10 s
		 * @return this builder
		 */
		public Builder ttl(Duration ttl) {
			this.ttl = ttl;
			return this;
		}

		/**
		 * Sets the kind of check.
		 * @param type {@link CheckType#TTL} (default) or {@link CheckType#HTTP}
		 * @return this builder
		 */
		public Builder checkType(CheckType type) {
			this.checkType = type;
			return this;
		}

		/**
		 * Sets the path of the HTTP check on the instance (see {@link #checkPort(Integer)}).
		 * @param path starting with {@code /}; default {@code /actuator/health}
		 * @return this builder
		 */
		public Builder checkPath(String path) {
			this.checkPath = path;
			return this;
		}

		/**
		 * Sets the port of the HTTP check, for applications that serve their health on a
		 * port of their own, such as a management port.
		 * @param port a TCP port, or {@code null} for the instance's port (the default)
		 * @return this builder
		 */
		public Builder checkPort(@Nullable Integer port) {
			this.checkPort = port;
			return this;
		}

		/**
		 * Sets whether the HTTP check uses https, for a port of its own (see
		 * {@link #checkPort(Integer)}) whose scheme differs from the instance's.
		 * @param secure {@code true} for https, {@code false} for http, {@code null} for the
		 * instance's scheme (the default)
		 * @return this builder
		 */
		public Builder checkSecure(@Nullable Boolean secure) {
			this.checkSecure = secure;
			return this;
		}

		/**
		 * Sets whether the agent's HTTP check skips verifying the certificate of an
		 * instance reached over https, for certificates the agent cannot verify, such as
		 * self-signed ones. An agent given the issuing CA and
		 * {@code enable_agent_tls_for_checks} verifies them instead.
		 * @param skip whether to skip; default {@code false}
		 * @return this builder
		 */
		public Builder checkTlsSkipVerify(boolean skip) {
			this.checkTlsSkipVerify = skip;
			return this;
		}

		/**
		 * Sets how often Consul runs the HTTP check.
		 * @param interval at least 1 s; default 10 s
		 * @return this builder
		 */
		public Builder checkInterval(Duration interval) {
			this.checkInterval = interval;
			return this;
		}

		/**
		 * Sets how many HTTP checks in a row must fail before Consul marks a passing instance
		 * critical, sent as {@code FailuresBeforeCritical}, so that one slow or failed answer
		 * (a pause, a dropped connection) does not take the instance out of every caller's
		 * view. The default is Kubernetes' probe default, and at the default interval it
		 * marks a dead instance critical 20 to 30 s after it died.
		 * @param failures at least 1; default 3
		 * @return this builder
		 */
		public Builder checkFailuresBeforeCritical(int failures) {
			this.checkFailuresBeforeCritical = failures;
			return this;
		}

		/**
		 * Sets how many HTTP checks in a row must succeed before Consul marks a critical
		 * instance passing again, sent as {@code SuccessBeforePassing}.
		 * @param successes at least 1; default 1
		 * @return this builder
		 */
		public Builder checkSuccessesBeforePassing(int successes) {
			this.checkSuccessesBeforePassing = successes;
			return this;
		}

		/**
		 * Sets how long a check may stay critical before Consul removes the instance; always
		 * sent as {@code DeregisterCriticalServiceAfter}.
		 * @param after at least 1 minute, Consul's minimum; default 1 minute
		 * @return this builder
		 */
		public Builder deregisterCriticalAfter(Duration after) {
			this.deregisterCriticalAfter = after;
			return this;
		}

		/**
		 * Sets the PEM file of the certificate authorities trusted for https; without one
		 * the JVM's default trust store is used.
		 * @param caFile the file, or {@code null}
		 * @return this builder
		 */
		public Builder caFile(@Nullable Path caFile) {
			this.caFile = caFile;
			return this;
		}

		/**
		 * Sets the limit on connecting and on waiting for an answer to an ordinary call;
		 * blocking queries may take the watch wait on top.
		 * @param timeout positive, at most 10 minutes; default 5 s
		 * @return this builder
		 */
		public Builder requestTimeout(Duration timeout) {
			this.requestTimeout = timeout;
			return this;
		}

		/**
		 * Sets how long a blocking query of a watch waits for a change.
		 * @param wait 1 s to 5 minutes; default 5 minutes
		 * @return this builder
		 */
		public Builder watchWait(Duration wait) {
			this.watchWait = wait;
			return this;
		}

		/**
		 * Sets the most connections the backend opens to its agent at once. Consul refuses more
		 * than 200 from one client address by default ({@code limits.http_max_conns_per_client}),
		 * and every application on a host that talks to the local agent shares that address.
		 * Up to 4 serve ordinary calls, one follows changes for the services beyond the rest,
		 * and each of the rest holds the blocking query of one watched service, or over https
		 * the blocking queries of up to {@value MultiplexedAgent#STREAMS_PER_CONNECTION} as
		 * HTTP/2 streams.
		 * @param maxConnections 3 to 10000; default 16 (11 services with a blocking query of
		 * their own, 2,200 over https)
		 * @return this builder
		 */
		public Builder maxConnections(int maxConnections) {
			this.maxConnections = maxConnections;
			return this;
		}

		/** Sets the monotonic nanosecond clock that times how long services stayed unchanged; for tests. */
		Builder clock(LongSupplier clock) {
			this.clock = clock;
			return this;
		}

		/**
		 * Checks every setting, then creates the backend. Does not contact the agent.
		 * @return the backend
		 * @throws IllegalArgumentException naming the first invalid setting, its value and
		 * the rule
		 */
		public ConsulBackend build() {
			Validation.host(this.host);
			Validation.port("port", this.port);
			if (!"http".equals(this.scheme) && !"https".equals(this.scheme)) {
				throw Validation.invalid("scheme", this.scheme, "must be http or https");
			}
			if (this.token != null && !isHeaderSafe(this.token)) {
				throw Validation.invalid("token", "******", "must be printable ASCII without spaces");
			}
			atLeast("ttl", this.ttl, MIN_TTL);
			Objects.requireNonNull(this.checkType, "checkType must not be null");
			if (this.checkPath == null || !this.checkPath.startsWith("/")) {
				throw Validation.invalid("checkPath", this.checkPath, "must start with '/'");
			}
			if (this.checkPort != null) {
				Validation.port("checkPort", this.checkPort);
			}
			atLeast("checkInterval", this.checkInterval, MIN_CHECK_INTERVAL);
			atLeastOne("checkFailuresBeforeCritical", this.checkFailuresBeforeCritical);
			atLeastOne("checkSuccessesBeforePassing", this.checkSuccessesBeforePassing);
			atLeast("deregisterCriticalAfter", this.deregisterCriticalAfter, MIN_DEREGISTER_AFTER);
			Validation.positive("requestTimeout", this.requestTimeout);
			atMost("requestTimeout", this.requestTimeout, MAX_REQUEST_TIMEOUT);
			atLeast("watchWait", this.watchWait, Duration.ofSeconds(1));
			atMost("watchWait", this.watchWait, MAX_WATCH_WAIT);
			if (this.maxConnections < ConnectionBudget.MIN_CONNECTIONS || this.maxConnections > MAX_CONNECTIONS) {
				throw Validation.invalid("maxConnections", Integer.toString(this.maxConnections),
						"must be between " + ConnectionBudget.MIN_CONNECTIONS + " and " + MAX_CONNECTIONS);
			}
			SSLContext sslContext = null;
			if (this.caFile != null) {
				if (!"https".equals(this.scheme)) {
					throw Validation.invalid("caFile", this.caFile.toString(), "needs scheme https");
				}
				sslContext = PemTrust.sslContext(this.caFile);
			}
			return new ConsulBackend(this, sslContext);
		}

		private static void atLeast(String field, @Nullable Duration value, Duration min) {
			Validation.positive(field, value);
			if (value.compareTo(min) < 0) {
				throw Validation.invalid(field, value.toString(), "must be at least " + min);
			}
		}

		private static void atLeastOne(String field, int value) {
			if (value < 1) {
				throw Validation.invalid(field, Integer.toString(value), "must be at least 1");
			}
		}

		private static void atMost(String field, Duration value, Duration max) {
			if (value.compareTo(max) > 0) {
				throw Validation.invalid(field, value.toString(), "must be at most " + max);
			}
		}

		private static boolean isHeaderSafe(String token) {
			return token.chars().allMatch((c) -> c > 0x20 && c < 0x7f);
		}

	}

}
