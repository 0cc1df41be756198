package dev.discovery.consul;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import javax.net.ssl.SSLContext;

import com.google.gson.JsonParseException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries the blocking queries of many watches as HTTP/2 streams over a few TLS connections
 * to an agent served over https, which Consul's HTTP server (Go's) multiplexes. It uses the
 * JDK's {@link HttpClient}, because Apache HttpClient 4, under consul-api, speaks only
 * HTTP/1.1, where every blocking query holds a connection of its own. Each
 * {@link Connection} is one {@code HttpClient}, that is one connection, and carries at most
 * {@value #STREAMS_PER_CONNECTION} watches, below the 250 concurrent streams Go's server
 * allows. Queries are sent only after a check on their connection came back over HTTP/2
 * ({@link Connection#confirmed()}), so that the JDK's client, which opens a connection for
 * every request sent while it has no live one, is never asked for many at once, and so that
 * an agent that does not multiplex is found out before anything depends on it.
 * {@link #probe()} makes that check once for the whole backend and reports the first
 * success, so that watches can move to streams. A later check that comes back over HTTP/1.1
 * (something in front of the agent changed) is reported once too, so that the watches leave
 * their streams; the connections stay counted, since JDK 17's client cannot close them.
 * Answers are taken from their body as soon as it was read, on the given executor, which
 * also handles them: the future that {@code sendAsync} returns completes on the common pool,
 * which on a machine with 2 cores or fewer starts a thread for each answer, and waiting for
 * that start would delay every change and every check. Failures are logged at most every
 * 10 s, however many watches they hit.
 * Thread-safe.
 */
final class MultiplexedAgent implements AutoCloseable {

	/** The most watches one connection carries. */
	static final int STREAMS_PER_CONNECTION = 200;

	private static final Logger logger = LoggerFactory.getLogger(MultiplexedAgent.class);

	private static final String CHECK_PATH = "/v1/status/leader";

	private static final long WARNING_PERIOD_NANOS = Duration.ofSeconds(10).toNanos();

	private final String address;

	private final @Nullable SSLContext sslContext;

	private final @Nullable String token;

	private final Duration requestTimeout;

	private final Duration queryTimeout;

	private final AgentHealth health;

	private final AgentFailures failures;

	private final Executor executor;

	private final Runnable onMultiplexed;

	private final Runnable onNoLongerMultiplexed;

	private final List<Connection> connections = new ArrayList<>();

	private final AtomicLong lastWarning = new AtomicLong(System.nanoTime() - WARNING_PERIOD_NANOS);

	private boolean probing;

	private volatile boolean multiplexed;

	private final AtomicBoolean notMultiplexed = new AtomicBoolean();

	private volatile boolean closed;

	/**
	 * Creates the agent client; it opens no connection before the first probe or stream.
	 * @param address the agent's https base URL
	 * @param sslContext the TLS context, or null for the JVM's default
	 * @param token the ACL token sent with every request, or null
	 * @param requestTimeout the limit on connecting and on an answer to a request that does
	 * not block
	 * @param wait how long a blocking query waits for a change
	 * @param health where requests and their outcomes are recorded
	 * @param failures turns failed requests into exceptions
	 * @param executor runs the HTTP client's work and the handlers of answers
	 * @param onMultiplexed run once, on the executor, when the agent first answered over HTTP/2
	 * @param onNoLongerMultiplexed run once, on the executor, when the agent answered over
	 * HTTP/1.1 after it had answered over HTTP/2; streams are no longer leased after that
	 */
	MultiplexedAgent(String address, @Nullable SSLContext sslContext, @Nullable String token,
			Duration requestTimeout, Duration wait, AgentHealth health, AgentFailures failures, Executor executor,
			Runnable onMultiplexed, Runnable onNoLongerMultiplexed) {
		this.address = address;
		this.sslContext = sslContext;
		this.token = token;
		this.requestTimeout = requestTimeout;
		this.queryTimeout = requestTimeout.plus(wait).plus(wait.dividedBy(16));
		this.health = health;
		this.failures = failures;
		this.executor = executor;
		this.onMultiplexed = onMultiplexed;
		this.onNoLongerMultiplexed = onNoLongerMultiplexed;
	}

	/**
	 * Checks, without blocking, whether the agent answers over HTTP/2, unless that is known
	 * or a check is under way; a check that failed is tried again on the next call.
	 */
	void probe() {
		CompletableFuture<Void> check;
		synchronized (this) {
			if (this.multiplexed || this.notMultiplexed.get() || this.closed || this.probing) {
				return;
			}
			check = (this.connections.isEmpty() ? open() : this.connections.get(0)).confirmed();
			this.probing = true;
		}
		check.whenComplete((ignored, failure) -> {
			synchronized (this) {
				this.probing = false;
			}
			if (failure == null && !this.multiplexed) {
				this.multiplexed = true;
				this.onMultiplexed.run();
			}
		});
	}

	/**
	 * Describes, for health, whether blocking queries share connections: {@code in use},
	 * {@code not offered by the agent}, or {@code not known yet}.
	 */
	String describe() {
		if (this.notMultiplexed.get()) {
			return "not offered by the agent";
		}
		return this.multiplexed ? "in use" : "not known yet";
	}

	/** Whether it is not known yet if the agent answers over HTTP/2. */
	boolean undecided() {
		return !this.multiplexed && !this.notMultiplexed.get() && !this.closed;
	}

	/**
	 * Takes a stream for one watch: on the first connection with a free stream, or on a new
	 * connection if fewer than {@code maxConnections} are open. Release it with
	 * {@link Connection#release()}.
	 * @param maxConnections how many connections may be open at most
	 * @return the connection, or null when the agent is not known to multiplex or every
	 * allowed stream is taken
	 */
	synchronized @Nullable Connection lease(int maxConnections) {
		if (!this.multiplexed || this.notMultiplexed.get() || this.closed) {
			return null;
		}
		for (Connection connection : this.connections) {
			if (connection.streams < STREAMS_PER_CONNECTION) {
				connection.streams++;
				return connection;
			}
		}
		if (this.connections.size() >= maxConnections) {
			return null;
		}
		Connection connection = open();
		connection.streams++;
		return connection;
	}

	/**
	 * How many connections the streams opened. Each stays open while its client lives, since
	 * JDK 17's {@link HttpClient} has no {@code close()}, so all count against the budget.
	 */
	synchronized int connections() {
		return this.connections.size();
	}

	/**
	 * Stops leasing streams. Queries in flight end when their watches cancel them, which
	 * closing the watches does.
	 */
	@Override
	public synchronized void close() {
		this.closed = true;
		this.connections.clear();
	}

	private Connection open() {
		HttpClient.Builder builder = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_2)
			.connectTimeout(this.requestTimeout)
			.executor(this.executor);
		if (this.sslContext != null) {
			builder.sslContext(this.sslContext);
		}
		Connection connection = new Connection(builder.build());
		this.connections.add(connection);
		return connection;
	}

	private HttpRequest request(String path, Duration timeout) {
		HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(this.address + path)).timeout(timeout).GET();
		if (this.token != null) {
			builder.header("X-Consul-Token", this.token);
		}
		return builder.build();
	}

	private void warnAtMostEvery10Seconds(ConsulCallException failure) {
		long last = this.lastWarning.get();
		long now = System.nanoTime();
		if (now - last >= WARNING_PERIOD_NANOS && this.lastWarning.compareAndSet(last, now)) {
			logger.warn("Blocking queries on HTTP/2 streams failed; each watch retries with back-off (logged at most "
					+ "every 10 s): {}", failure.getMessage());
		}
	}

	private static void cancelWith(CompletableFuture<?> dependent, CompletableFuture<?> source) {
		dependent.whenComplete((ignored, failure) -> {
			if (failure instanceof CancellationException) {
				source.cancel(true);
			}
		});
	}

	private static Throwable unwrap(Throwable failure) {
		Throwable cause = failure;
		while (cause instanceof CompletionException && cause.getCause() != null) {
			cause = cause.getCause();
		}
		return cause;
	}

	/** An answer whose body was read. */
	private record Answer(int statusCode, HttpHeaders headers, HttpClient.Version version, String body) {
	}

	/** One connection to the agent and the streams leased on it. */
	final class Connection {

		private final HttpClient client;

		private int streams;

		private @Nullable CompletableFuture<Void> nextCheck;

		private boolean checking;

		private Connection(HttpClient client) {
			this.client = client;
		}

		/**
		 * Completes once a check sent after this call came back over HTTP/2. Send a query
		 * only then: it finds the live HTTP/2 connection that the check used, where the
		 * JDK's client would otherwise open a connection for each query sent while it has
		 * none, as after the agent closed the last one. Calls made while a check is under way
		 * wait for the next one, so one check serves every call made meanwhile. Fails as the
		 * backend's other calls do when the check gets no answer, an error, or an answer over
		 * HTTP/1.1. Once any check came back over HTTP/1.1, fails without sending one: each
		 * request sent over HTTP/1.1 at the same time as another would leave the client one
		 * more connection that it cannot close. Never blocks.
		 */
		synchronized CompletableFuture<Void> confirmed() {
			if (MultiplexedAgent.this.notMultiplexed.get()) {
				return CompletableFuture.failedFuture(answeredOverHttp11());
			}
			CompletableFuture<Void> next = this.nextCheck;
			if (next == null) {
				next = new CompletableFuture<>();
				this.nextCheck = next;
				if (!this.checking) {
					check();
				}
			}
			return next;
		}

		/**
		 * Reads the instances of a service in every status, sent at once: call it when
		 * {@link #confirmed()} completed. With a positive index, a blocking query that
		 * returns when the service changes after that index or the wait ends. Cancelling
		 * the returned future ends the query. Never blocks.
		 * @return the answer; it fails with a {@link ConsulCallException} as the
		 * backend's other calls do
		 */
		CompletableFuture<ConsulAgent.HealthSnapshot> health(String service, long index, long waitSeconds) {
			String operation = "read the health of service '" + service + "'";
			String path = "/v1/health/service/" + service;
			HttpRequest request = (index > 0)
					? request(path + "?index=" + index + "&wait=" + waitSeconds + "s", MultiplexedAgent.this.queryTimeout)
					: request(path, MultiplexedAgent.this.requestTimeout);
			CompletableFuture<Answer> answer = send(request);
			CompletableFuture<ConsulAgent.HealthSnapshot> read = answer.handleAsync((response, failure) -> {
				try {
					return snapshot(operation, checked(operation, request, response, failure));
				}
				catch (ConsulCallException ex) {
					warnAtMostEvery10Seconds(ex);
					throw ex;
				}
			}, MultiplexedAgent.this.executor);
			cancelWith(read, answer);
			return read;
		}

		/** Gives back a stream taken with {@link MultiplexedAgent#lease(int)}. */
		void release() {
			synchronized (MultiplexedAgent.this) {
				this.streams--;
			}
		}

		private void check() {
			CompletableFuture<Void> waiting = Objects.requireNonNull(this.nextCheck);
			this.nextCheck = null;
			this.checking = true;
			String operation = "read the leader";
			HttpRequest check = request(CHECK_PATH, MultiplexedAgent.this.requestTimeout);
			send(check).handleAsync((response, failure) -> {
				Answer answered = checked(operation, check, response, failure);
				if (answered.version() != HttpClient.Version.HTTP_2) {
					throw notMultiplexed();
				}
				MultiplexedAgent.this.health.succeeded(operation);
				return answered;
			}, MultiplexedAgent.this.executor).whenComplete((answered, failure) -> {
				CompletableFuture<Void> unsent = null;
				synchronized (this) {
					this.checking = false;
					if (this.nextCheck != null) {
						if (MultiplexedAgent.this.notMultiplexed.get()) {
							unsent = this.nextCheck;
							this.nextCheck = null;
						}
						else {
							check();
						}
					}
				}
				if (unsent != null) {
					unsent.completeExceptionally(answeredOverHttp11());
				}
				if (failure == null) {
					waiting.complete(null);
				}
				else {
					waiting.completeExceptionally(unwrap(failure));
				}
			});
		}

		/**
		 * Sends a request and completes with its answer as soon as the body was read, on the
		 * thread of the client's executor that read it, rather than through the future of
		 * {@code sendAsync}, which completes on a thread of the common pool (on 2 cores or
		 * fewer, a new thread for each answer). Fails with what failed the exchange.
		 * Cancelling the returned future cancels the exchange.
		 */
		private CompletableFuture<Answer> send(HttpRequest request) {
			MultiplexedAgent.this.health.requested();
			CompletableFuture<Answer> answer = new CompletableFuture<>();
			CompletableFuture<HttpResponse<String>> exchange = this.client.sendAsync(request, (info) -> {
				HttpResponse.BodySubscriber<String> body = HttpResponse.BodySubscribers.ofString(StandardCharsets.UTF_8);
				body.getBody().whenComplete((text, failure) -> {
					if (failure != null) {
						answer.completeExceptionally(failure);
					}
					else {
						answer.complete(new Answer(info.statusCode(), info.headers(), info.version(), text));
					}
				});
				return body;
			});
			exchange.whenComplete((ignored, failure) -> {
				if (failure != null) {
					answer.completeExceptionally(failure);
				}
			});
			cancelWith(answer, exchange);
			return answer;
		}

		/** Returns an answer with status 200, or throws what the backend's other calls throw. */
		private Answer checked(String operation, HttpRequest request,
				@Nullable Answer response, @Nullable Throwable failure) {
			if (failure != null) {
				Throwable cause = unwrap(failure);
				if (cause instanceof ConsulCallException || cause instanceof CancellationException) {
					throw (RuntimeException) cause;
				}
				Duration timedOutAfter = (cause instanceof HttpConnectTimeoutException)
						? MultiplexedAgent.this.requestTimeout
						: (cause instanceof HttpTimeoutException) ? request.timeout().orElse(null) : null;
				throw MultiplexedAgent.this.failures.unreachable(operation, cause, timedOutAfter,
						MultiplexedAgent.this.closed);
			}
			Answer answered = Objects.requireNonNull(response);
			if (answered.statusCode() != 200) {
				throw MultiplexedAgent.this.failures.refused(operation, answered.statusCode(), answered.body(), null);
			}
			return answered;
		}

		private ConsulAgent.HealthSnapshot snapshot(String operation, Answer response) {
			try {
				ConsulAgent.HealthSnapshot snapshot = new ConsulAgent.HealthSnapshot(
						response.headers().firstValueAsLong("X-Consul-Index").orElse(0),
						ConsulAgent.instances(response.body()));
				MultiplexedAgent.this.health.succeeded(operation);
				return snapshot;
			}
			catch (JsonParseException ex) {
				throw MultiplexedAgent.this.failures.unreadable(operation, String.valueOf(ex.getMessage()), ex);
			}
		}

		/**
		 * Records that the agent answered over HTTP/1.1, once: found at the first check, the
		 * watches stay with slots and the detector; found after watches moved to streams,
		 * they are told to leave them.
		 */
		private ConsulCallException notMultiplexed() {
			ConsulCallException failure = answeredOverHttp11();
			if (MultiplexedAgent.this.notMultiplexed.compareAndSet(false, true)) {
				if (MultiplexedAgent.this.multiplexed) {
					logger.warn("{}; the services on HTTP/2 streams move to connections of their own and the "
							+ "change detector", failure.getMessage());
					noLongerMultiplexed();
				}
				else {
					logger.warn("{}; services without a blocking query of their own are followed by the change "
							+ "detector", failure.getMessage());
				}
			}
			return failure;
		}

		private ConsulCallException answeredOverHttp11() {
			return new ConsulCallException("Consul agent at " + MultiplexedAgent.this.address
					+ " answered over HTTP/1.1, not HTTP/2, so blocking queries cannot share its connections", 200,
					false, null);
		}

		private void noLongerMultiplexed() {
			try {
				MultiplexedAgent.this.executor.execute(MultiplexedAgent.this.onNoLongerMultiplexed);
			}
			catch (RejectedExecutionException ex) {
				// the backend is closing
			}
		}

	}

}
