package dev.discovery.consul.testserver;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link LoopbackConnections} and {@link ConnectionPeak}, which the connection
 * budget tests rely on.
 */
class LoopbackConnectionsTest {

	private final List<Socket> sockets = new ArrayList<>();

	private ServerSocket server;

	@BeforeEach
	void startServer() throws IOException {
		this.server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
	}

	@AfterEach
	void closeEverySocket() throws IOException {
		for (Socket socket : this.sockets) {
			socket.close();
		}
		this.server.close();
	}

	@Test
	void countsTheClientSideOfEachOpenConnectionToThePortAndNoClosedOne() throws IOException {
		Socket first = connect();
		connect();
		connect();
		assertThat(LoopbackConnections.count("127.0.0.1", this.server.getLocalPort())).isEqualTo(3);

		first.close();

		assertThat(LoopbackConnections.count("127.0.0.1", this.server.getLocalPort())).isEqualTo(2);
	}

	@Test
	void thePeakCountsTheConnectionsOpenAtOnceNotEveryConnectionItSaw() throws Exception {
		try (ConnectionPeak peak = ConnectionPeak.start("127.0.0.1", this.server.getLocalPort(),
				Duration.ofMillis(5))) {
			Socket first = connect();
			connect();
			connect();
			Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> peak.most() == 3);

			first.close();
			connect();
			connect();

			Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> peak.most() == 4);
			peak.close();
			assertThat(peak.most()).isEqualTo(4);
		}
	}

	/** Opens a connection to the server and accepts it. */
	private Socket connect() throws IOException {
		Socket client = new Socket(this.server.getInetAddress(), this.server.getLocalPort());
		this.sockets.add(client);
		this.sockets.add(this.server.accept());
		return client;
	}

}
