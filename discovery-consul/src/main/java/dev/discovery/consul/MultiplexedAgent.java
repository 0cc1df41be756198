package dev.discovery.consul;

import java.net.SocketTimeoutException;
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
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;

import com.google.gson.JsonParseException;
import org.apache.hc.core5.concurrent.ComplexCancellable;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.Message;
import org.apache.hc.core5.http.Method;
import org.apache.hc.core5.http.message.BasicHttpRequest;
import org.apache.hc.core5.http.nio.AsyncClientExchangeHandler;
import org.apache.hc.core5.http.nio.command.RequestExecutionCommand;
import org.apache.hc.core5.http.nio.entity.BasicAsyncEntityConsumer;
import org.apache.hc.core5.http.nio.support.BasicClientExchangeHandler;
import org.apache.hc.core5.http.nio.support.BasicRequestProducer;
import org.apache.hc.core5.http.nio.support.BasicResponseConsumer;
import org.apache.hc.core5.http.protocol.HttpCoreContext;
import org.apache.hc.core5.http2.config.H2Config;
import org.apache.hc.core5.http2.impl.H2Processors;
import org.apache.hc.core5.http2.impl.nio.ClientH2PrefaceHandler;
import org.apache.hc.core5.http2.impl.nio.ClientH2StreamMultiplexerFactory;
import org.apache.hc.core5.http2.nio.pool.H2ConnPool;
import org.apache.hc.core5.http2.ssl.H2ClientTlsStrategy;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.net.NamedEndpoint;
import org.apache.hc.core5.reactor.Command;
import org.apache.hc.core5.reactor.DefaultConnectingIOReactor;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.apache.hc.core5.reactor.IOSession;
import org.apache.hc.core5.reactor.ssl.TlsDetails;
import org.apache.hc.core5.util.Timeout;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries the blocking queries of many watches as HTTP/2 streams over a few TLS connections
 * to an agent served over https, which Consul's HTTP server (Go's) multiplexes. It uses
 * Apache HttpCore 5's HTTP/2 transport: Apache HttpClient 4, under consul-api, speaks only
 * HTTP/1.1, where every blocking query holds a connection of its own, and the JDK's client
 * completes every answer through the common pool, which on 2 cores or fewer starts a thread
 * for each answer. One I/O thread ({@code discovery-consul-http2-1}) serves every
 * connection and hands each answer to the given executor.
 * <p>
 * Each {@link Connection} is at most one TCP connection at a time, opened when first needed
 * and again after the agent closed it, and carries at most {@value #STREAMS_PER_CONNECTION}
 * watches, below the 250 concurrent streams Go's server allows. Requests sent while it is
 * being opened wait for it, so the TCP connections never outnumber {@link #connections()}.
 * A connection is used only if the agent chose HTTP/2 in the TLS handshake (ALPN);
 * otherwise every request on it fails. {@link #probe()} checks that once for the whole
 * backend and reports the first success, so that watches can move to streams. A later
 * handshake that does not choose HTTP/2 (something in front of the agent changed) is
 * reported once too, so that the watches leave their streams, and closes every connection.
 * Each request has a deadline: the request timeout, or for a blocking query the wait plus
 * what Consul adds to it. Failures are logged at most every 10 s, however many watches they
 * hit. Thread-safe.
 */
final class MultiplexedAgent implements AutoCloseable {

	/** The most watches one connection carries. */
	static final int STREAMS_PER_CONNECTION = 200;

	private static final Logger logger = LoggerFactory.getLogger(MultiplexedAgent.class);

	private static final String CHECK_PATH = "/v1/status/leader";

	private static final String HTTP_2 = "h2";

	private static final long WARNING_PERIOD_NANOS = Duration.ofSeconds(10).toNanos();

	private final HttpHost agent;

	private final String address;

	private final H2ClientTlsStrategy tls;

	private final @Nullable String token;

	private final Duration requestTimeout;

	private final Duration queryTimeout;

	private final AgentHealth health;

	private final AgentFailures failures;

	private final Executor executor;

	private final ScheduledExecutorService deadlines;

	private final ThreadFactory ioThreads;

	private final Runnable onMultiplexed;

	private final Runnable onNoLongerMultiplexed;

	private final List<Connection> connections = new ArrayList<>();

	private final AtomicLong lastWarning = new AtomicLong(System.nanoTime() - WARNING_PERIOD_NANOS);

	private @Nullable DefaultConnectingIOReactor reactor;

	private boolean probing;

	private volatile boolean multiplexed;

	private final AtomicBoolean notMultiplexed = new AtomicBoolean();

	private volatile boolean closed;

	/**
	 * Creates the agent client; it starts no thread and opens no connection before the first
	 * probe.
	 * @param agent the agent's https host and port
	 * @param address the agent's base URL, for messages
	 * @param sslContext the TLS context
	 * @param token the ACL token sent with every request, or null
	 * @param requestTimeout the limit on connecting and on an answer to a request that does
	 * not block
	 * @param wait how long a blocking query waits for a change
	 * @param health where requests and their outcomes are recorded
	 * @param failures turns failed requests into exceptions
	 * @param executor runs the handlers of answers
	 * @param deadlines ends the requests that are not answered in time
	 * @param ioThreads makes the I/O thread
	 * @param onMultiplexed run once, on the executor, when the agent first answered over HTTP/2
	 * @param onNoLongerMultiplexed run once, on the executor, when a handshake did not choose
	 * HTTP/2 after the agent had answered over it; streams are no longer leased after that
	 */
	MultiplexedAgent(HttpHost agent, String address, SSLContext sslContext, @Nullable String token,
			Duration requestTimeout, Duration wait, AgentHealth health, AgentFailures failures, Executor executor,
			ScheduledExecutorService deadlines, ThreadFactory ioThreads, Runnable onMultiplexed,
			Runnable onNoLongerMultiplexed) {
		this.agent = agent;
		this.address = address;
		this.tls = new H2ClientTlsStrategy(sslContext, MultiplexedAgent::requireHttp2);
		this.token = token;
		this.requestTimeout = requestTimeout;
		this.queryTimeout = requestTimeout.plus(wait).plus(wait.dividedBy(16));
		this.health = health;
		this.failures = failures;
		this.executor = executor;
		this.deadlines = deadlines;
		this.ioThreads = ioThreads;
		this.onMultiplexed = onMultiplexed;
		this.onNoLongerMultiplexed = onNoLongerMultiplexed;
	}

	/**
	 * Checks, without blocking, whether the agent answers over HTTP/2, unless that is known
	 * or a check is under way; a check that failed is tried again on the next call.
	 */
	void probe() {
		Connection connection;
		synchronized (this) {
			if (this.multiplexed || this.notMultiplexed.get() || this.closed || this.probing) {
				return;
			}
			connection = this.connections.isEmpty() ? open() : this.connections.get(0);
			this.probing = true;
		}
		connection.leader().whenComplete((ignored, failure) -> {
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
	 * How many connections may be open: one for each {@link Connection} made for the probe
	 * and for streams; none once the agent stopped multiplexing or this was closed.
	 */
	synchronized int connections() {
		return this.connections.size();
	}

	/** Stops leasing streams and closes every connection, ending the queries on them. */
	@Override
	public void close() {
		this.closed = true;
		closeConnections();
	}

	private Connection open() {
		DefaultConnectingIOReactor started = this.reactor;
		if (started == null) {
			ClientH2StreamMultiplexerFactory streams = new ClientH2StreamMultiplexerFactory(H2Processors.client(),
					null, H2Config.custom().setPushEnabled(false).build(), null, null);
			started = new DefaultConnectingIOReactor(
					(session, attachment) -> new ClientH2PrefaceHandler(session, streams, true, null),
					IOReactorConfig.custom().setIoThreadCount(1).build(), this.ioThreads, null,
					(failure) -> logger.debug("HTTP/2 connection to {} failed", this.address, failure), null, null);
			started.start();
			this.reactor = started;
		}
		Connection connection = new Connection(new H2ConnPool(started, null, this.tls));
		this.connections.add(connection);
		return connection;
	}

	private void closeConnections() {
		DefaultConnectingIOReactor stopping;
		synchronized (this) {
			this.connections.forEach((connection) -> connection.pool.close(CloseMode.IMMEDIATE));
			this.connections.clear();
			stopping = this.reactor;
			this.reactor = null;
		}
		if (stopping != null) {
			stopping.close(CloseMode.IMMEDIATE);
		}
	}

	private void warnAtMostEvery10Seconds(ConsulCallException failure) {
		long last = this.lastWarning.get();
		long now = System.nanoTime();
		if (now - last >= WARNING_PERIOD_NANOS && this.lastWarning.compareAndSet(last, now)) {
			logger.warn("Blocking queries on HTTP/2 streams failed; each watch retries with back-off (logged at most "
					+ "every 10 s): {}", failure.getMessage());
		}
	}

	/**
	 * Records that the agent does not multiplex, once: found by the probe, the watches stay
	 * with slots and the detector; found after watches moved to streams, they are told to
	 * leave them. Either way the connections are closed.
	 */
	private ConsulCallException notMultiplexed() {
		ConsulCallException failure = withoutHttp2();
		if (this.notMultiplexed.compareAndSet(false, true)) {
			if (this.multiplexed) {
				logger.warn("{}; the services on HTTP/2 streams move to connections of their own and the change "
						+ "detector", failure.getMessage());
				runOnExecutor(this.onNoLongerMultiplexed);
			}
			else {
				logger.warn("{}; services without a blocking query of their own are followed by the change "
						+ "detector", failure.getMessage());
			}
			runOnExecutor(this::closeConnections);
		}
		return failure;
	}

	private ConsulCallException withoutHttp2() {
		return new ConsulCallException("Consul agent at " + this.address
				+ " did not choose HTTP/2 in the TLS handshake, so blocking queries cannot share its connections",
				200, false, null);
	}

	private void runOnExecutor(Runnable task) {
		try {
			this.executor.execute(task);
		}
		catch (RejectedExecutionException ex) {
			// the backend is closing
		}
	}

	private static @Nullable TlsDetails requireHttp2(NamedEndpoint endpoint, SSLEngine engine) throws SSLException {
		if (!HTTP_2.equals(engine.getApplicationProtocol())) {
			throw new WithoutHttp2(endpoint, engine.getApplicationProtocol());
		}
		return null;
	}

	private static void cancelWith(CompletableFuture<?> dependent, Runnable cancelSource) {
		dependent.whenComplete((ignored, failure) -> {
			if (failure instanceof CancellationException) {
				cancelSource.run();
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

	private static boolean handshakeWithoutHttp2(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof WithoutHttp2) {
				return true;
			}
		}
		return false;
	}

	/** A TLS handshake in which the agent did not choose HTTP/2. */
	private static final class WithoutHttp2 extends SSLException {

		private static final long serialVersionUID = 1L;

		WithoutHttp2(NamedEndpoint endpoint, @Nullable String chosen) {
			super("The TLS handshake with " + endpoint + " chose "
					+ ((chosen == null || chosen.isEmpty()) ? "no application protocol" : "'" + chosen + "'")
					+ ", not HTTP/2");
		}

	}

	/** An answer whose body was read. */
	private record Answer(int statusCode, @Nullable Header index, String body) {
	}

	/** Completes an answer with the outcome of its exchange, on the I/O thread. */
	private record Answering(CompletableFuture<Answer> answer) implements FutureCallback<Message<HttpResponse, byte[]>> {

		@Override
		public void completed(Message<HttpResponse, byte[]> message) {
			byte[] body = message.getBody();
			this.answer.complete(new Answer(message.getHead().getCode(),
					message.getHead().getFirstHeader("X-Consul-Index"),
					(body != null) ? new String(body, StandardCharsets.UTF_8) : ""));
		}

		@Override
		public void failed(Exception ex) {
			this.answer.completeExceptionally(ex);
		}

		@Override
		public void cancelled() {
			this.answer.cancel(false);
		}

	}

	/** One connection to the agent, opened when needed, and the streams leased on it. */
	final class Connection {

		private final H2ConnPool pool;

		private int streams;

		private Connection(H2ConnPool pool) {
			this.pool = pool;
		}

		/**
		 * Reads the instances of a service in every status, sent at once. With a positive
		 * index, a blocking query that returns when the service changes after that index or
		 * the wait ends. Cancelling the returned future ends the query. Never blocks.
		 * @return the answer; it fails with a {@link ConsulCallException} as the
		 * backend's other calls do
		 */
		CompletableFuture<ConsulAgent.HealthSnapshot> health(String service, long index, long waitSeconds) {
			String operation = "read the health of service '" + service + "'";
			String path = "/v1/health/service/" + service;
			boolean blocking = index > 0;
			Duration timeout = blocking ? MultiplexedAgent.this.queryTimeout : MultiplexedAgent.this.requestTimeout;
			CompletableFuture<Answer> answer = send(
					blocking ? path + "?index=" + index + "&wait=" + waitSeconds + "s" : path, timeout);
			CompletableFuture<ConsulAgent.HealthSnapshot> read = answer.handleAsync((response, failure) -> {
				try {
					return snapshot(operation, checked(operation, timeout, response, failure));
				}
				catch (ConsulCallException ex) {
					warnAtMostEvery10Seconds(ex);
					throw ex;
				}
			}, MultiplexedAgent.this.executor);
			cancelWith(read, () -> answer.cancel(true));
			return read;
		}

		/** Gives back a stream taken with {@link MultiplexedAgent#lease(int)}. */
		void release() {
			synchronized (MultiplexedAgent.this) {
				this.streams--;
			}
		}

		/** Reads the agent's leader; completes once it answered, which it does only over HTTP/2. */
		private CompletableFuture<Answer> leader() {
			String operation = "read the leader";
			Duration timeout = MultiplexedAgent.this.requestTimeout;
			return send(CHECK_PATH, timeout).handleAsync((response, failure) -> {
				Answer answered = checked(operation, timeout, response, failure);
				MultiplexedAgent.this.health.succeeded(operation);
				return answered;
			}, MultiplexedAgent.this.executor);
		}

		/**
		 * Sends a GET on a stream of this connection, opening the connection first if it is
		 * not open, and completes on the I/O thread with the answer once its body was read,
		 * with what failed the exchange, or with a {@link TimeoutException} once the timeout
		 * passed. Cancelling the returned future cancels the exchange.
		 */
		private CompletableFuture<Answer> send(String path, Duration timeout) {
			MultiplexedAgent.this.health.requested();
			if (MultiplexedAgent.this.notMultiplexed.get()) {
				return CompletableFuture.failedFuture(withoutHttp2());
			}
			CompletableFuture<Answer> answer = new CompletableFuture<>();
			ComplexCancellable exchange = new ComplexCancellable();
			try {
				ScheduledFuture<?> deadline = MultiplexedAgent.this.deadlines.schedule(() -> {
					if (answer.completeExceptionally(new TimeoutException())) {
						exchange.cancel();
					}
				}, timeout.toNanos(), TimeUnit.NANOSECONDS);
				answer.whenComplete((ignored, failure) -> deadline.cancel(false));
			}
			catch (RejectedExecutionException ex) {
				return CompletableFuture.failedFuture(ex);
			}
			cancelWith(answer, exchange::cancel);
			BasicHttpRequest request = new BasicHttpRequest(Method.GET, MultiplexedAgent.this.agent, path);
			if (MultiplexedAgent.this.token != null) {
				request.addHeader("X-Consul-Token", MultiplexedAgent.this.token);
			}
			AsyncClientExchangeHandler handler = new BasicClientExchangeHandler<>(
					new BasicRequestProducer(request, null),
					new BasicResponseConsumer<>(new BasicAsyncEntityConsumer()), new Answering(answer));
			try {
				start(handler, exchange);
			}
			catch (IllegalStateException ex) {
				handler.failed(ex);
			}
			return answer;
		}

		/**
		 * Starts an exchange on this connection, opening it first if it is not open; throws
		 * an {@link IllegalStateException} once the connection or its reactor was closed.
		 */
		private void start(AsyncClientExchangeHandler handler, ComplexCancellable exchange) {
			this.pool.getSession(MultiplexedAgent.this.agent, Timeout.of(MultiplexedAgent.this.requestTimeout),
					new FutureCallback<>() {

						@Override
						public void completed(IOSession session) {
							if (exchange.isCancelled()) {
								return;
							}
							session.setSocketTimeout(Timeout.of(MultiplexedAgent.this.queryTimeout));
							session.enqueue(
									new RequestExecutionCommand(handler, null, exchange, HttpCoreContext.create()),
									Command.Priority.NORMAL);
							if (!session.isOpen()) {
								handler.failed(new ConnectionClosedException());
							}
						}

						@Override
						public void failed(Exception ex) {
							handler.failed(ex);
						}

						@Override
						public void cancelled() {
							handler.cancel();
						}

					});
		}

		/** Returns an answer with status 200, or throws what the backend's other calls throw. */
		private Answer checked(String operation, Duration timeout, @Nullable Answer response,
				@Nullable Throwable failure) {
			if (failure != null) {
				Throwable cause = unwrap(failure);
				if (cause instanceof ConsulCallException || cause instanceof CancellationException) {
					throw (RuntimeException) cause;
				}
				if (handshakeWithoutHttp2(cause)) {
					throw notMultiplexed();
				}
				Duration timedOutAfter = (cause instanceof TimeoutException) ? timeout
						: (cause instanceof SocketTimeoutException) ? MultiplexedAgent.this.requestTimeout : null;
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
				Header index = response.index();
				ConsulAgent.HealthSnapshot snapshot = new ConsulAgent.HealthSnapshot(
						(index != null) ? Long.parseLong(index.getValue()) : 0,
						ConsulAgent.instances(response.body()));
				MultiplexedAgent.this.health.succeeded(operation);
				return snapshot;
			}
			catch (JsonParseException | NumberFormatException ex) {
				throw MultiplexedAgent.this.failures.unreadable(operation, String.valueOf(ex.getMessage()), ex);
			}
		}

	}

}
