package dev.discovery.consul.testserver;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link LoopbackConnections}, which the connection budget tests rely on.
 */
class LoopbackConnectionsTest {

	@Test
	void countsTheClientSideOfEachOpenConnectionToThePortAndNoClosedOne() throws Exception {
		InetAddress loopback = InetAddress.getByName("127.0.0.1");
		List<Socket> accepted = new ArrayList<>();
		try (ServerSocket server = new ServerSocket(0, 50, loopback);
				Socket first = new Socket(loopback, server.getLocalPort());
				Socket second = new Socket(loopback, server.getLocalPort());
				Socket third = new Socket(loopback, server.getLocalPort())) {
			for (int i = 0; i < 3; i++) {
				accepted.add(server.accept());
			}
			assertThat(LoopbackConnections.count("127.0.0.1", server.getLocalPort())).isEqualTo(3);

			second.close();

			assertThat(LoopbackConnections.count("127.0.0.1", server.getLocalPort())).isEqualTo(2);
		}
		finally {
			for (Socket socket : accepted) {
				socket.close();
			}
		}
	}

}
