package dev.discovery.grpc;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;

import dev.discovery.core.ServiceHandle;
import dev.discovery.core.ServiceInstance;
import io.grpc.Attributes;
import io.grpc.EquivalentAddressGroup;
import io.grpc.NameResolver;
import io.grpc.Status;
import io.grpc.StatusOr;
import io.grpc.SynchronizationContext;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The resolver of one {@code discovery:///<service>} channel. It subscribes to the service
 * through the client (the first lookup may wait on the registry, so it runs on the
 * channel's offload executor) and hands every changed list of UP instances to the channel
 * in order; the channel's synchronization context only receives finished results.
 */
final class DiscoveryNameResolver extends NameResolver {

	private static final Logger logger = LoggerFactory.getLogger(DiscoveryNameResolver.class);

	private final String service;

	private final DiscoveryResolverOptions options;

	private final ConfigOrError serviceConfig;

	private final SynchronizationContext syncContext;

	private final Executor offloadExecutor;

	private @Nullable Listener2 listener;

	private boolean subscribing;

	private @Nullable ResolutionResult published;

	private @Nullable AutoCloseable subscription;

	private boolean shutdown;

	DiscoveryNameResolver(String service, DiscoveryResolverOptions options, ConfigOrError serviceConfig,
			SynchronizationContext syncContext, @Nullable Executor offloadExecutor) {
		this.service = service;
		this.options = options;
		this.serviceConfig = serviceConfig;
		this.syncContext = syncContext;
		this.offloadExecutor = (offloadExecutor != null) ? offloadExecutor : ForkJoinPool.commonPool();
	}

	@Override
	public String getServiceAuthority() {
		return this.service;
	}

	@Override
	public void start(Listener2 listener) {
		this.listener = listener;
		subscribe();
	}

	/**
	 * Subscribes again after the first lookup failed; once subscribed, changes are pushed and
	 * this does nothing.
	 */
	@Override
	public void refresh() {
		subscribe();
	}

	@Override
	public void shutdown() {
		AutoCloseable current;
		synchronized (this) {
			this.shutdown = true;
			current = this.subscription;
			this.subscription = null;
		}
		close(current);
	}

	private void subscribe() {
		if (this.subscribing || this.listener == null) {
			return;
		}
		this.subscribing = true;
		this.offloadExecutor.execute(this::watch);
	}

	private void watch() {
		ServiceHandle handle;
		AutoCloseable subscribed;
		try {
			handle = this.options.client().service(this.service);
			subscribed = handle.addListener((event) -> resolve(handle));
		}
		catch (RuntimeException ex) {
			this.syncContext.execute(() -> failed(ex));
			return;
		}
		synchronized (this) {
			if (this.shutdown) {
				close(subscribed);
				return;
			}
			this.subscription = subscribed;
		}
		resolve(handle);
	}

	private void failed(RuntimeException ex) {
		this.subscribing = false;
		if (this.listener != null && !this.shutdown) {
			this.listener.onError(Status.UNAVAILABLE
				.withDescription("Could not look up service '" + this.service + "': " + ex.getMessage())
				.withCause(ex));
		}
	}

	/**
	 * Reads the client's current snapshot and queues it for the channel; reading and queueing
	 * under one lock keeps results in the order of the snapshots.
	 */
	private void resolve(ServiceHandle handle) {
		synchronized (this) {
			if (this.shutdown) {
				return;
			}
			ResolutionResult result = result(handle);
			this.syncContext.executeLater(() -> publish(result));
		}
		this.syncContext.drain();
	}

	private void publish(ResolutionResult result) {
		if (this.shutdown || this.listener == null || result.equals(this.published)) {
			return;
		}
		this.published = result;
		this.listener.onResult2(result);
	}

	private ResolutionResult result(ServiceHandle handle) {
		List<ServiceInstance> up = handle.instances();
		List<EquivalentAddressGroup> addresses = new ArrayList<>(up.size());
		Set<String> unusable = new HashSet<>();
		for (ServiceInstance instance : up) {
			int port;
			try {
				port = GrpcPort.of(instance);
			}
			catch (IllegalArgumentException ex) {
				logger.warn("Instance {} of service '{}' gets no gRPC traffic: {}", instance.id(), this.service,
						ex.getMessage());
				unusable.add(instance.id());
				continue;
			}
			addresses.add(new EquivalentAddressGroup(new InetSocketAddress(instance.host(), port),
					Attributes.newBuilder().set(ResolvedService.INSTANCE_ID, instance.id()).build()));
		}
		ResolvedService resolved = new ResolvedService(handle, unusable);
		return ResolutionResult.newBuilder()
			.setAddressesOrError(StatusOr.fromValue(List.copyOf(addresses)))
			.setAttributes(Attributes.newBuilder().set(ResolvedService.KEY, resolved).build())
			.setServiceConfig(this.serviceConfig)
			.build();
	}

	private void close(@Nullable AutoCloseable subscription) {
		if (subscription == null) {
			return;
		}
		try {
			subscription.close();
		}
		catch (Exception ex) {
			logger.warn("Could not end the subscription to service '{}'", this.service, ex);
		}
	}

}
