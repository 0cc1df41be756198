package dev.discovery.consul;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;

import com.ecwid.consul.v1.ConsulRawClient;
import org.apache.hc.core5.http.HttpHost;
import org.apache.http.client.config.RequestConfig;
import org.apache.http.config.Registry;
import org.apache.http.config.RegistryBuilder;
import org.apache.http.conn.HttpClientConnectionManager;
import org.apache.http.conn.socket.ConnectionSocketFactory;
import org.apache.http.conn.socket.PlainConnectionSocketFactory;
import org.apache.http.conn.ssl.SSLConnectionSocketFactory;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClientBuilder;
import org.apache.http.impl.client.HttpClients;
import org.apache.http.impl.client.StandardHttpRequestRetryHandler;
import org.apache.http.impl.conn.BasicHttpClientConnectionManager;
import org.apache.http.impl.conn.PoolingHttpClientConnectionManager;
import org.apache.http.message.BasicHeader;
import org.apache.http.protocol.HttpContext;
import org.apache.http.ssl.SSLContexts;
import org.jspecify.annotations.Nullable;

/**
 * Opens {@link ConsulAgent}s on Apache HttpClient configured once for this backend: the
 * ACL token as a default {@code X-Consul-Token} header, so that no call can go without it
 * and it never appears in a URL; connect, pool and read timeouts on every request; one
 * retry of ordinary calls, because a pooled connection may have been closed by a restarted
 * agent (every call this backend makes is idempotent), while watches retry on their own;
 * for https a context that trusts the configured CA file, or the JVM's trust store without
 * one; and compressed answers only from an agent that is not on loopback. Over loopback,
 * compressing costs both sides CPU and saves no time: the listing of 2,000 checks, which the
 * change detector reads on every change, took 9.5 ms compressed and 7.3 ms uncompressed from
 * a Consul 1.8 server on the same machine (medians of 200). Over https it also opens the
 * {@link MultiplexedAgent}, on Apache HttpCore 5's HTTP/2 transport, with the same token, TLS
 * context and timeouts.
 */
final class ConsulHttp {

	private static final Pattern IPV4_LOOPBACK = Pattern.compile("127(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");

	private final String scheme;

	private final String host;

	private final int port;

	private final @Nullable String token;

	private final @Nullable SSLContext sslContext;

	private final Duration requestTimeout;

	private final AgentHealth health;

	private final AgentFailures failures;

	ConsulHttp(String scheme, String host, int port, @Nullable String token, @Nullable SSLContext sslContext,
			Duration requestTimeout, AgentHealth health) {
		this.scheme = scheme;
		this.host = host;
		this.port = port;
		this.token = token;
		this.sslContext = sslContext;
		this.requestTimeout = requestTimeout;
		this.health = health;
		this.failures = new AgentFailures(address(), token, health);
	}

	/** The agent's base URL, for messages and health. */
	String address() {
		return this.scheme + "://" + bracketed() + ":" + this.port;
	}

	/**
	 * Opens the agent client for ordinary calls, pooled, each call bounded by the request
	 * timeout; a call waits up to that timeout for a free connection.
	 * @param connections the most connections the pool opens
	 */
	ConsulAgent openShared(int connections) {
		PoolingHttpClientConnectionManager pool = new PoolingHttpClientConnectionManager(socketFactories());
		pool.setMaxTotal(connections);
		pool.setDefaultMaxPerRoute(connections);
		return open(pool, this.requestTimeout, true, () -> {
		});
	}

	/**
	 * Opens an agent client with one connection of its own for the blocking queries of one
	 * watch or of the change detector; its read timeout allows for the wait plus the up to
	 * wait / 16 Consul adds. Closing it aborts a query in flight at once, over https too:
	 * there the JDK's TLS socket would otherwise wait, on close, for the agent to end the TLS
	 * session, which Consul does only when the blocking query returns, up to the wait later.
	 */
	ConsulAgent openForWatch(Duration wait) {
		Duration readTimeout = this.requestTimeout.plus(wait).plus(wait.dividedBy(16));
		if (!"https".equals(this.scheme)) {
			return open(new BasicHttpClientConnectionManager(socketFactories()), readTimeout, false, () -> {
			});
		}
		AbortableTlsSockets sockets = new AbortableTlsSockets(tlsContext());
		Registry<ConnectionSocketFactory> factories = RegistryBuilder.<ConnectionSocketFactory>create()
			.register("https", sockets)
			.build();
		return open(new BasicHttpClientConnectionManager(factories), readTimeout, false, sockets::abort);
	}

	/**
	 * Opens the client that carries blocking queries as HTTP/2 streams, for an agent served
	 * over https.
	 * @param wait how long a blocking query waits for a change
	 * @param executor runs the handlers of answers
	 * @param deadlines ends the requests that are not answered in time
	 * @param ioThreads makes the client's I/O thread
	 * @param onMultiplexed run once, when the agent first answered over HTTP/2
	 * @param onNoLongerMultiplexed run once, when a TLS handshake did not choose HTTP/2 after
	 * the agent had answered over it
	 */
	MultiplexedAgent openMultiplexed(Duration wait, Executor executor, ScheduledExecutorService deadlines,
			ThreadFactory ioThreads, Runnable onMultiplexed, Runnable onNoLongerMultiplexed) {
		return new MultiplexedAgent(new HttpHost("https", this.host, this.port), address(), tlsContext(), this.token,
				this.requestTimeout, wait, this.health, this.failures, executor, deadlines, ioThreads, onMultiplexed,
				onNoLongerMultiplexed);
	}

	private ConsulAgent open(HttpClientConnectionManager connections, Duration readTimeout, boolean retry,
			Runnable abort) {
		int timeout = Math.toIntExact(this.requestTimeout.toMillis());
		RequestConfig config = RequestConfig.custom()
			.setConnectTimeout(timeout)
			.setConnectionRequestTimeout(timeout)
			.setSocketTimeout(Math.toIntExact(readTimeout.toMillis()))
			.build();
		HttpClientBuilder builder = HttpClients.custom()
			.setConnectionManager(connections)
			.setDefaultRequestConfig(config)
			.setDefaultHeaders((this.token != null) ? List.of(new BasicHeader("X-Consul-Token", this.token)) : List.of())
			.disableCookieManagement();
		if (onLoopback(this.host)) {
			builder.disableContentCompression();
		}
		if (retry) {
			builder.setRetryHandler(new StandardHttpRequestRetryHandler(1, true));
		}
		else {
			builder.disableAutomaticRetries();
		}
		CloseableHttpClient httpClient = builder.build();
		ConsulRawClient rawClient = new ConsulRawClient(httpClient, this.scheme + "://" + bracketed(), this.port, "");
		return new ConsulAgent(httpClient, rawClient, this.health, this.failures, this.requestTimeout, readTimeout,
				abort);
	}

	/**
	 * Tells whether a host is this machine's loopback: {@code localhost}, an IPv4 address in
	 * 127.0.0.0/8, or the IPv6 loopback address. Nothing is resolved: other host names count
	 * as remote, and a host with a colon is an IPv6 literal, as the builder checked.
	 * @param host the agent's host
	 * @return whether it is loopback
	 */
	static boolean onLoopback(String host) {
		if (host.equalsIgnoreCase("localhost") || IPV4_LOOPBACK.matcher(host).matches()) {
			return true;
		}
		if (host.indexOf(':') < 0) {
			return false;
		}
		try {
			return InetAddress.getByName(host).isLoopbackAddress();
		}
		catch (UnknownHostException ex) {
			return false;
		}
	}

	private Registry<ConnectionSocketFactory> socketFactories() {
		RegistryBuilder<ConnectionSocketFactory> factories = RegistryBuilder.create();
		if ("https".equals(this.scheme)) {
			factories.register("https", new SSLConnectionSocketFactory(tlsContext()));
		}
		else {
			factories.register("http", PlainConnectionSocketFactory.getSocketFactory());
		}
		return factories.build();
	}

	private SSLContext tlsContext() {
		return (this.sslContext != null) ? this.sslContext : SSLContexts.createSystemDefault();
	}

	private String bracketed() {
		return (this.host.indexOf(':') >= 0) ? "[" + this.host + "]" : this.host;
	}

	/**
	 * Opens TLS connections and can close the plain socket under the last one at once, which
	 * makes a read blocked on it fail and lets the TLS socket close without waiting for the
	 * agent.
	 */
	private static final class AbortableTlsSockets extends SSLConnectionSocketFactory {

		private volatile @Nullable Socket plain;

		AbortableTlsSockets(SSLContext context) {
			super(context);
		}

		@Override
		public Socket createLayeredSocket(Socket socket, String target, int port, HttpContext context)
				throws IOException {
			this.plain = socket;
			return super.createLayeredSocket(socket, target, port, context);
		}

		void abort() {
			Socket socket = this.plain;
			if (socket != null) {
				try {
					socket.close();
				}
				catch (IOException ex) {
					// closed either way
				}
			}
		}

	}

}
