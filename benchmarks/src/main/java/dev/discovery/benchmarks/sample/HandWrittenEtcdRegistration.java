package dev.discovery.benchmarks.sample;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.etcd.jetcd.options.PutOption;
import io.grpc.stub.StreamObserver;

import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;

/**
 * How an application registers itself in etcd by hand with jetcd, without the discovery
 * starter: once the web server has its port, it connects, grants a lease, puts its address
 * under it and keeps the lease alive, all on the thread that starts the application; the
 * client stays open until the sample exits. The startup measurement's anchor for the starter
 * on etcd: what registering with jetcd costs an application that does it by hand.
 */
final class HandWrittenEtcdRegistration implements ApplicationListener<WebServerInitializedEvent> {

	private final String endpoint;

	HandWrittenEtcdRegistration(String endpoint) {
		this.endpoint = endpoint;
	}

	@Override
	public void onApplicationEvent(WebServerInitializedEvent event) {
		int port = event.getWebServer().getPort();
		Client client = Client.builder().endpoints(this.endpoint).build();
		try {
			long lease = client.getLeaseClient().grant(HandWrittenRecord.LEASE_SECONDS).get().getID();
			HandWrittenRecord record = HandWrittenRecord.of(port);
			client.getKVClient()
				.put(bytes(record.key()), bytes(record.value()), PutOption.builder().withLeaseId(lease).build())
				.get();
			client.getLeaseClient().keepAlive(lease, new IgnoringObserver());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while registering in etcd", ex);
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException("Could not register in etcd at " + this.endpoint, ex);
		}
	}

	private static ByteSequence bytes(String text) {
		return ByteSequence.from(text, StandardCharsets.UTF_8);
	}

	/**
	 * Takes the keep-alive responses and ignores them, as a hand-written registration that
	 * only needs the lease to stay alive would.
	 */
	private static final class IgnoringObserver implements StreamObserver<LeaseKeepAliveResponse> {

		@Override
		public void onNext(LeaseKeepAliveResponse response) {
		}

		@Override
		public void onError(Throwable error) {
		}

		@Override
		public void onCompleted() {
		}

	}

}
