package dev.discovery.etcd;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import io.etcd.jetcd.Client;
import io.grpc.ManagedChannel;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * jetcd's gRPC channel, for the two things the backend needs from it that jetcd does not
 * offer:
 * <ul>
 * <li>reconnecting now instead of when gRPC's exponential back-off (up to two minutes) next
 * allows, so that after a long outage the backend is back within about a probe interval of
 * etcd being healthy;</li>
 * <li>replacing every connection after a request went unanswered. The channel spreads
 * requests over every member whose connection is ready, and a member that froze or sits
 * behind a network black hole keeps its connection open, so a third of the requests (with
 * three members) would wait for it until gRPC's own keep-alive drops it, 10 s at the least.
 * A new connection counts as ready only once the member answers it, so after the
 * replacement the silent member gets no new requests. Requests already sent keep their
 * connections and deadlines.</li>
 * </ul>
 * jetcd does not expose its channel, so this reaches it reflectively; if a jetcd version
 * hides it differently, both do nothing and log once, and gRPC's own timing applies.
 * Thread-safe; never blocks.
 */
final class JetcdChannel {

	private static final Logger logger = LoggerFactory.getLogger(JetcdChannel.class);

	private final Client client;

	private final long minimumNanosBetweenReplacements;

	private final AtomicLong lastReplacement;

	private volatile boolean unavailable;

	/**
	 * Wraps the channel of a client.
	 * @param client the client
	 * @param minimumTimeBetweenReplacements how long after replacing the connections a
	 * further request to replace them is ignored, so that a cluster that is down or slow as
	 * a whole is not reconnected to on every timeout
	 */
	JetcdChannel(Client client, Duration minimumTimeBetweenReplacements) {
		this.client = client;
		this.minimumNanosBetweenReplacements = minimumTimeBetweenReplacements.toNanos();
		this.lastReplacement = new AtomicLong(System.nanoTime() - this.minimumNanosBetweenReplacements);
	}

	/**
	 * Makes connections that wait to reconnect do so at once.
	 */
	void reconnectNow() {
		use(ManagedChannel::resetConnectBackoff);
	}

	/**
	 * Replaces every connection, unless that was done less than the minimum time ago.
	 */
	void replaceConnections() {
		long last = this.lastReplacement.get();
		long now = System.nanoTime();
		if (now - last >= this.minimumNanosBetweenReplacements && this.lastReplacement.compareAndSet(last, now)) {
			logger.debug("A request to etcd went unanswered; replacing the connections to every member");
			use(ManagedChannel::enterIdle);
		}
	}

	private void use(Consumer<ManagedChannel> action) {
		if (this.unavailable) {
			return;
		}
		try {
			ManagedChannel channel = channel();
			if (channel != null) {
				action.accept(channel);
			}
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			this.unavailable = true;
			logger.info("Cannot reach jetcd's gRPC channel ({}); reconnects and the dropping of silent members follow"
					+ " gRPC's own timing", ex.toString());
		}
	}

	private @Nullable ManagedChannel channel() throws ReflectiveOperationException {
		Field manager = this.client.getClass().getDeclaredField("connectionManager");
		manager.setAccessible(true);
		Object connectionManager = manager.get(this.client);
		Method getChannel = connectionManager.getClass().getDeclaredMethod("getChannel");
		getChannel.setAccessible(true);
		return (ManagedChannel) getChannel.invoke(connectionManager);
	}

}
