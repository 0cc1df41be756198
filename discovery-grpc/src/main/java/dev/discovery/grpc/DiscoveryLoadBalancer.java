package dev.discovery.grpc;

import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import io.grpc.ConnectivityState;
import io.grpc.ConnectivityStateInfo;
import io.grpc.EquivalentAddressGroup;
import io.grpc.LoadBalancer;
import io.grpc.Status;
import org.jspecify.annotations.Nullable;

/**
 * The {@code discovery} policy of one channel. It keeps one subchannel per resolved
 * instance, created and connected as soon as the instance appears (and reconnected when it
 * goes idle), and shuts a subchannel down, gracefully, as soon as its instance is no longer
 * resolved (drained, DOWN or deregistered): calls already on it finish, no new call is
 * placed on it. After every change it publishes an {@link InstancePicker}. Runs only on the
 * channel's synchronization context, and never blocks there.
 */
final class DiscoveryLoadBalancer extends LoadBalancer {

	private final Helper helper;

	private final Map<String, Endpoint> endpoints = new HashMap<>();

	private @Nullable ResolvedService resolved;

	private DiscoveryPolicyConfig config = new DiscoveryPolicyConfig(null);

	DiscoveryLoadBalancer(Helper helper) {
		this.helper = helper;
	}

	@Override
	public Status acceptResolvedAddresses(ResolvedAddresses resolvedAddresses) {
		ResolvedService service = resolvedAddresses.getAttributes().get(ResolvedService.KEY);
		if (service == null) {
			Status error = Status.UNAVAILABLE.withDescription("The '" + DiscoveryLoadBalancerProvider.POLICY_NAME
					+ "' load-balancing policy serves " + DiscoveryNameResolverProvider.SCHEME
					+ ":///<service> targets only; this channel's target is resolved by another name resolver");
			this.helper.updateBalancingState(ConnectivityState.TRANSIENT_FAILURE,
					new FixedResultPicker(PickResult.withError(error)));
			return error;
		}
		this.resolved = service;
		if (resolvedAddresses.getLoadBalancingPolicyConfig() instanceof DiscoveryPolicyConfig policyConfig) {
			this.config = policyConfig;
		}
		Map<String, EquivalentAddressGroup> wanted = byInstance(resolvedAddresses.getAddresses());
		for (Iterator<Map.Entry<String, Endpoint>> it = this.endpoints.entrySet().iterator(); it.hasNext();) {
			Map.Entry<String, Endpoint> entry = it.next();
			EquivalentAddressGroup address = wanted.get(entry.getKey());
			if (address == null || !address.getAddresses().equals(entry.getValue().address.getAddresses())) {
				entry.getValue().subchannel.shutdown();
				it.remove();
			}
		}
		wanted.forEach((id, address) -> this.endpoints.computeIfAbsent(id, (key) -> connect(address)));
		publish();
		return Status.OK;
	}

	@Override
	public void handleNameResolutionError(Status error) {
		if (this.endpoints.isEmpty()) {
			this.helper.updateBalancingState(ConnectivityState.TRANSIENT_FAILURE,
					new FixedResultPicker(PickResult.withError(error)));
		}
	}

	@Override
	public void requestConnection() {
		for (Endpoint endpoint : this.endpoints.values()) {
			if (endpoint.state.getState() == ConnectivityState.IDLE) {
				endpoint.subchannel.requestConnection();
			}
		}
	}

	@Override
	public void shutdown() {
		for (Endpoint endpoint : this.endpoints.values()) {
			endpoint.subchannel.shutdown();
		}
		this.endpoints.clear();
	}

	private static Map<String, EquivalentAddressGroup> byInstance(List<EquivalentAddressGroup> addresses) {
		Map<String, EquivalentAddressGroup> byInstance = new HashMap<>();
		for (EquivalentAddressGroup address : addresses) {
			String id = address.getAttributes().get(ResolvedService.INSTANCE_ID);
			if (id != null) {
				byInstance.put(id, address);
			}
		}
		return byInstance;
	}

	private Endpoint connect(EquivalentAddressGroup address) {
		Subchannel subchannel = this.helper
			.createSubchannel(CreateSubchannelArgs.newBuilder().setAddresses(address).build());
		Endpoint endpoint = new Endpoint(address, subchannel);
		subchannel.start((state) -> changed(endpoint, state));
		subchannel.requestConnection();
		return endpoint;
	}

	private void changed(Endpoint endpoint, ConnectivityStateInfo state) {
		String id = endpoint.address.getAttributes().get(ResolvedService.INSTANCE_ID);
		if (state.getState() == ConnectivityState.SHUTDOWN || this.endpoints.get(id) != endpoint) {
			return;
		}
		endpoint.state = state;
		if (state.getState() == ConnectivityState.IDLE) {
			endpoint.subchannel.requestConnection();
		}
		publish();
	}

	private void publish() {
		ResolvedService service = this.resolved;
		if (service == null) {
			return;
		}
		Map<String, Subchannel> ready = new HashMap<>();
		Map<String, Status> failing = new HashMap<>();
		boolean connecting = false;
		for (Map.Entry<String, Endpoint> entry : this.endpoints.entrySet()) {
			ConnectivityStateInfo state = entry.getValue().state;
			switch (state.getState()) {
				case READY -> ready.put(entry.getKey(), entry.getValue().subchannel);
				case TRANSIENT_FAILURE -> failing.put(entry.getKey(), state.getStatus());
				default -> connecting = true;
			}
		}
		ConnectivityState overall = !ready.isEmpty() ? ConnectivityState.READY
				: connecting ? ConnectivityState.CONNECTING : ConnectivityState.TRANSIENT_FAILURE;
		this.helper.updateBalancingState(overall, new InstancePicker(service, this.config.hashKey(), ready, failing));
	}

	/** One resolved instance: its address, its subchannel and that subchannel's last state. */
	private static final class Endpoint {

		private final EquivalentAddressGroup address;

		private final Subchannel subchannel;

		private ConnectivityStateInfo state = ConnectivityStateInfo.forNonError(ConnectivityState.IDLE);

		Endpoint(EquivalentAddressGroup address, Subchannel subchannel) {
			this.address = address;
			this.subchannel = subchannel;
		}

	}

}
