package dev.discovery.core.testserver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * Picks free TCP ports on 127.0.0.1 for test servers.
 */
public final class FreePorts {

	private FreePorts() {
	}

	/**
	 * Returns distinct ports that were free on 127.0.0.1 a moment ago. All sockets are held
	 * open until every port is picked, so the ports differ from each other.
	 * @param count how many ports
	 * @return the ports
	 */
	public static int[] pick(int count) {
		List<ServerSocket> sockets = new ArrayList<>();
		try {
			int[] ports = new int[count];
			for (int i = 0; i < count; i++) {
				ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
				socket.setReuseAddress(true);
				sockets.add(socket);
				ports[i] = socket.getLocalPort();
			}
			return ports;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not find free ports on 127.0.0.1", ex);
		}
		finally {
			for (ServerSocket socket : sockets) {
				try {
					socket.close();
				}
				catch (IOException ex) {
					// the port is released either way
				}
			}
		}
	}

}
