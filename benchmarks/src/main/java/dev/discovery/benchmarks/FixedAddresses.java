package dev.discovery.benchmarks;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;

import io.grpc.EquivalentAddressGroup;
import io.grpc.ManagedChannelBuilder;
import io.grpc.NameResolver;
import io.grpc.StatusOr;

/**
 * Gives one channel a fixed list of addresses, resolved once, for the static
 * {@code round_robin} channel that the {@code discovery:///} channel is measured against.
 */
final class FixedAddresses extends NameResolver.Factory {

	private final List<EquivalentAddressGroup> addresses;

	private FixedAddresses(List<InetSocketAddress> addresses) {
		this.addresses = addresses.stream().map(EquivalentAddressGroup::new).toList();
	}

	/**
	 * Makes a channel resolve to the addresses, whatever its target.
	 * @param <T> the type of builder
	 * @param builder the channel's builder
	 * @param addresses the addresses
	 * @return the builder
	 */
	@SuppressWarnings("deprecation") // the one way to give a single channel its own resolver
	static <T extends ManagedChannelBuilder<T>> T resolveTo(T builder, List<InetSocketAddress> addresses) {
		return builder.nameResolverFactory(new FixedAddresses(addresses));
	}

	@Override
	public NameResolver newNameResolver(URI targetUri, NameResolver.Args args) {
		return new NameResolver() {

			@Override
			public String getServiceAuthority() {
				return "fixed";
			}

			@Override
			public void start(Listener2 listener) {
				listener.onResult2(ResolutionResult.newBuilder()
					.setAddressesOrError(StatusOr.fromValue(FixedAddresses.this.addresses))
					.build());
			}

			@Override
			public void shutdown() {
			}

		};
	}

	@Override
	public String getDefaultScheme() {
		return "fixed";
	}

}
