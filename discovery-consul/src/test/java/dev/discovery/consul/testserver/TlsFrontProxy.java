package dev.discovery.consul.testserver;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A proxy on a loopback port in front of an agent's API, as a load balancer might be. At
 * first it passes every connection through to the agent's https port, so that clients speak
 * TLS with the agent itself, which offers HTTP/2. After {@link #terminateTls()} it ends TLS
 * itself, with its own certificate and without offering HTTP/2, and passes the requests to
 * the agent's http port: clients then get HTTP/1.1, as from a proxy that was put in front of
 * the agent while they ran.
 */
public final class TlsFrontProxy implements AutoCloseable {

	private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

	private final ServerSocket server;

	private final int agentHttpsPort;

	private final int agentHttpPort;

	private final SSLContext ownTls;

	private final ExecutorService pipes = Executors.newCachedThreadPool((task) -> {
		Thread thread = new Thread(task, "tls-front-proxy");
		thread.setDaemon(true);
		return thread;
	});

	private final Set<Socket> open = ConcurrentHashMap.newKeySet();

	private volatile boolean terminating;

	private TlsFrontProxy(int agentHttpsPort, int agentHttpPort, SSLContext ownTls) throws IOException {
		this.server = new ServerSocket(0, 50, LOOPBACK);
		this.agentHttpsPort = agentHttpsPort;
		this.agentHttpPort = agentHttpPort;
		this.ownTls = ownTls;
		this.pipes.execute(this::accept);
	}

	/**
	 * Starts the proxy, passing connections through to the agent's https port.
	 * @param agentHttpsPort the agent's https port on the loopback address
	 * @param agentHttpPort the agent's http port on the loopback address
	 * @param ownTls the server TLS context the proxy uses once it ends TLS itself
	 * @return the proxy
	 * @throws IOException if no port could be had
	 */
	public static TlsFrontProxy start(int agentHttpsPort, int agentHttpPort, SSLContext ownTls) throws IOException {
		return new TlsFrontProxy(agentHttpsPort, agentHttpPort, ownTls);
	}

	/** The proxy's port on the loopback address. */
	public int port() {
		return this.server.getLocalPort();
	}

	/**
	 * From now on ends TLS in the proxy and speaks HTTP/1.1 only, and closes every connection
	 * passed through before, so that clients connect again.
	 */
	public void terminateTls() {
		this.terminating = true;
		this.open.forEach(TlsFrontProxy::closeQuietly);
	}

	@Override
	public void close() {
		closeQuietly(this.server);
		this.open.forEach(TlsFrontProxy::closeQuietly);
		this.pipes.shutdownNow();
	}

	private void accept() {
		while (!this.server.isClosed()) {
			try {
				Socket client = this.server.accept();
				this.pipes.execute(() -> connect(client));
			}
			catch (IOException ex) {
				return;
			}
		}
	}

	private void connect(Socket accepted) {
		this.open.add(accepted);
		Socket agent = new Socket();
		this.open.add(agent);
		try {
			Socket client = accepted;
			int agentPort = this.agentHttpsPort;
			if (this.terminating) {
				SSLSocket tls = (SSLSocket) this.ownTls.getSocketFactory().createSocket(accepted, null, true);
				tls.setUseClientMode(false);
				tls.startHandshake();
				client = tls;
				agentPort = this.agentHttpPort;
			}
			agent.connect(new InetSocketAddress(LOOPBACK, agentPort));
			InputStream fromClient = client.getInputStream();
			OutputStream toAgent = agent.getOutputStream();
			this.pipes.execute(() -> pipe(fromClient, toAgent, accepted, agent));
			pipe(agent.getInputStream(), client.getOutputStream(), accepted, agent);
		}
		catch (IOException ex) {
			end(accepted, agent);
		}
	}

	/** Copies until either side closes, then ends the connection. */
	private void pipe(InputStream in, OutputStream out, Socket accepted, Socket agent) {
		byte[] buffer = new byte[16 * 1024];
		try {
			int read;
			while ((read = in.read(buffer)) >= 0) {
				out.write(buffer, 0, read);
				out.flush();
			}
		}
		catch (IOException ex) {
			// either side closed
		}
		finally {
			end(accepted, agent);
		}
	}

	/** Closes the plain sockets, never a TLS socket, whose close may wait on the other side. */
	private void end(Socket accepted, Socket agent) {
		closeQuietly(accepted);
		closeQuietly(agent);
		this.open.remove(accepted);
		this.open.remove(agent);
	}

	private static void closeQuietly(AutoCloseable closeable) {
		try {
			closeable.close();
		}
		catch (Exception ex) {
			// closing anyway
		}
	}

}
