package dev.discovery.etcd;

import java.lang.reflect.Field;
import java.lang.reflect.Method;

import io.etcd.jetcd.Client;
import io.grpc.ManagedChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes jetcd's gRPC channel reconnect now instead of when its exponential back-off (up to
 * two minutes) next allows, so that after a long outage the backend is back within about a
 * probe interval of etcd being healthy. jetcd does not expose its channel, so this reaches
 * it reflectively; if a jetcd version hides it differently, this does nothing and logs
 * once, and recovery falls back to gRPC's own back-off.
 */
final class ConnectBackoffReset implements Runnable {

	private static final Logger logger = LoggerFactory.getLogger(ConnectBackoffReset.class);

	private final Client client;

	private volatile boolean unavailable;

	ConnectBackoffReset(Client client) {
		this.client = client;
	}

	/**
	 * Resets the channel's connect back-off; channels waiting to reconnect do so at once.
	 * Never blocks.
	 */
	@Override
	public void run() {
		if (this.unavailable) {
			return;
		}
		try {
			channel().resetConnectBackoff();
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			this.unavailable = true;
			logger.info("Cannot reach jetcd's gRPC channel to reconnect early ({}); reconnects follow gRPC's back-off",
					ex.toString());
		}
	}

	private ManagedChannel channel() throws ReflectiveOperationException {
		Field manager = this.client.getClass().getDeclaredField("connectionManager");
		manager.setAccessible(true);
		Object connectionManager = manager.get(this.client);
		Method getChannel = connectionManager.getClass().getDeclaredMethod("getChannel");
		getChannel.setAccessible(true);
		return (ManagedChannel) getChannel.invoke(connectionManager);
	}

}
