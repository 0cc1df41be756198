package dev.discovery.core.testserver;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;

import org.jspecify.annotations.Nullable;

/**
 * A TCP proxy on 127.0.0.1 that stands between a client and a registry server and plays a
 * slow or silent network. It passes traffic through, delays every byte in both directions
 * by a set latency, or black-holes: it accepts connections and reads what is sent, but
 * forwards nothing and never answers. A connection that lost bytes to the black hole is
 * closed as soon as traffic passes again, as its stream can no longer be parsed; clients
 * then connect anew. The mode can change at any time and applies to open connections too.
 * It can also {@linkplain #endTls(SSLContext, int) end TLS itself} in front of a server
 * that offers HTTP/2, as a proxy put there later might. Thread-safe. Its threads are
 * daemons named {@code tcp-proxy-<port>-...}, and {@link #close()} ends them.
 */
public final class TcpProxy implements AutoCloseable {

	private static final int BUFFER = 16 * 1024;

	private volatile Upstream upstream;

	private final ServerSocket listener;

	private final Set<Connection> connections = ConcurrentHashMap.newKeySet();

	private volatile Mode mode = Mode.pass();

	private volatile boolean closed;

	private TcpProxy(InetSocketAddress target) throws IOException {
		this.upstream = new Upstream(target, null);
		this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		daemon("accept", this::accept).start();
	}

	/**
	 * Starts a proxy to a server, passing traffic through, on a free port of 127.0.0.1.
	 * @param host the server's host
	 * @param port the server's port
	 * @return the running proxy
	 */
	public static TcpProxy to(String host, int port) {
		try {
			return new TcpProxy(new InetSocketAddress(host, port));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start a TCP proxy to " + host + ":" + port, ex);
		}
	}

	/**
	 * Returns the host clients connect to.
	 * @return {@code 127.0.0.1}
	 */
	public String host() {
		return this.listener.getInetAddress().getHostAddress();
	}

	/**
	 * Returns the port clients connect to.
	 * @return the port
	 */
	public int port() {
		return this.listener.getLocalPort();
	}

	/**
	 * Passes traffic through from now on, and closes every connection that lost bytes to
	 * the black hole.
	 */
	public void passThrough() {
		switchTo(Mode.pass());
	}

	/**
	 * Delays every byte read from now on, in both directions, by a latency; the throughput
	 * stays as it was. Closes every connection that lost bytes to the black hole.
	 * @param latency how much later each byte arrives
	 */
	public void delay(Duration latency) {
		switchTo(new Mode(latency, false));
	}

	/**
	 * Accepts connections and reads from them but forwards nothing and answers nothing, on
	 * new and open connections alike, until {@link #passThrough()} or {@link #delay(Duration)}.
	 */
	public void blackHole() {
		switchTo(new Mode(Duration.ZERO, true));
	}

	/**
	 * From now on ends TLS in the proxy, with its own certificate and without offering any
	 * application protocol, so that HTTP clients fall back to HTTP/1.1, and passes the plain
	 * bytes to another port of the server. Closes every open connection, so that clients
	 * connect anew.
	 * @param context the server TLS context the proxy presents
	 * @param plainPort the server's port for plain traffic
	 */
	public void endTls(SSLContext context, int plainPort) {
		this.upstream = new Upstream(new InetSocketAddress(this.upstream.address().getAddress(), plainPort), context);
		this.connections.forEach(Connection::close);
	}

	/**
	 * Stops listening and closes every connection. Idempotent.
	 */
	@Override
	public void close() {
		this.closed = true;
		try {
			this.listener.close();
		}
		catch (IOException ex) {
			// closed either way
		}
		this.connections.forEach(Connection::close);
	}

	@Override
	public String toString() {
		return "TcpProxy[127.0.0.1:" + port() + " -> " + this.upstream + ", " + this.mode + "]";
	}

	private void switchTo(Mode mode) {
		this.mode = mode;
		if (!mode.blackHole()) {
			this.connections.stream().filter(Connection::tainted).forEach(Connection::close);
		}
	}

	private void accept() {
		while (!this.closed) {
			Socket client;
			try {
				client = this.listener.accept();
			}
			catch (IOException ex) {
				return;
			}
			Connection connection = new Connection(client);
			this.connections.add(connection);
			connection.start();
			if (this.closed) {
				connection.close();
			}
		}
	}

	private Thread daemon(String role, Runnable task) {
		Thread thread = new Thread(task, "tcp-proxy-" + port() + "-" + role);
		thread.setDaemon(true);
		return thread;
	}

	private record Mode(Duration latency, boolean blackHole) {

		static Mode pass() {
			return new Mode(Duration.ZERO, false);
		}

	}

	/**
	 * Where connections go, and the TLS context the proxy ends TLS with first, or null to
	 * pass the bytes as they are.
	 */
	private record Upstream(InetSocketAddress address, @Nullable SSLContext endTls) {

	}

	/** Bytes read at one moment, due for writing at another. */
	private record Chunk(byte[] bytes, long dueNanos) {
	}

	/**
	 * One client connection and, unless it was accepted into the black hole, its connection
	 * to the server: a reader and a writer per direction.
	 */
	private final class Connection {

		private final Socket client;

		private volatile @Nullable Socket server;

		private final Set<Thread> threads = ConcurrentHashMap.newKeySet();

		private volatile boolean tainted;

		private volatile boolean closed;

		Connection(Socket client) {
			this.client = client;
		}

		boolean tainted() {
			return this.tainted;
		}

		void start() {
			if (TcpProxy.this.mode.blackHole()) {
				this.tainted = true;
				spawn("swallow", () -> pump(this.client, null));
				return;
			}
			Upstream upstream = TcpProxy.this.upstream;
			Socket client = this.client;
			try {
				SSLContext endTls = upstream.endTls();
				if (endTls != null) {
					// the overload for already consumed bytes is the one that makes a server-side socket
					client = endTls.getSocketFactory().createSocket(this.client, null, true);
				}
				this.server = new Socket();
				this.server.connect(upstream.address(), 5_000);
			}
			catch (IOException ex) {
				close();
				return;
			}
			pipe("up", client, this.server);
			pipe("down", this.server, client);
		}

		private void pipe(String direction, Socket from, Socket to) {
			BlockingQueue<Chunk> queue = new LinkedBlockingQueue<>();
			spawn(direction + "-read", () -> pump(from, queue));
			spawn(direction + "-write", () -> drain(queue, to));
		}

		private void spawn(String role, Runnable task) {
			Thread thread = daemon(role, task);
			this.threads.add(thread);
			thread.start();
		}

		/** Reads until the end of the stream; queues what is read unless it is swallowed. */
		private void pump(Socket from, @Nullable BlockingQueue<Chunk> queue) {
			byte[] buffer = new byte[BUFFER];
			try {
				InputStream in = from.getInputStream();
				int read;
				while ((read = in.read(buffer)) != -1) {
					Mode now = TcpProxy.this.mode;
					if (queue == null || now.blackHole() || this.tainted) {
						swallowed(now);
						continue;
					}
					queue.add(new Chunk(Arrays.copyOf(buffer, read), System.nanoTime() + now.latency().toNanos()));
				}
			}
			catch (IOException ex) {
				// the peer or the proxy closed the connection
			}
			close();
		}

		/** Writes queued chunks when they are due, unless the black hole took over meanwhile. */
		private void drain(BlockingQueue<Chunk> queue, Socket to) {
			try {
				OutputStream out = to.getOutputStream();
				while (!this.closed) {
					Chunk chunk = queue.take();
					long wait = chunk.dueNanos() - System.nanoTime();
					if (wait > 0) {
						TimeUnit.NANOSECONDS.sleep(wait);
					}
					Mode now = TcpProxy.this.mode;
					if (now.blackHole() || this.tainted) {
						swallowed(now);
						continue;
					}
					out.write(chunk.bytes());
					out.flush();
				}
			}
			catch (IOException | InterruptedException ex) {
				// closed
			}
			close();
		}

		private void swallowed(Mode now) {
			this.tainted = true;
			if (!now.blackHole()) {
				close();
			}
		}

		/**
		 * Closes the plain sockets; a TLS socket over the client's is never closed itself,
		 * since that may wait for the client to end the session.
		 */
		synchronized void close() {
			if (this.closed) {
				return;
			}
			this.closed = true;
			TcpProxy.this.connections.remove(this);
			closeQuietly(this.client);
			closeQuietly(this.server);
			this.threads.stream().filter((thread) -> thread != Thread.currentThread()).forEach(Thread::interrupt);
		}

		private static void closeQuietly(@Nullable Socket socket) {
			if (socket == null) {
				return;
			}
			try {
				socket.close();
			}
			catch (IOException ex) {
				// closed either way
			}
		}

	}

}
