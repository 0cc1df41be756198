package dev.discovery.benchmarks;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Arrays;
import java.util.List;

import io.grpc.EquivalentAddressGroup;
import io.grpc.NameResolver;
import io.grpc.NameResolverProvider;
import io.grpc.NameResolverRegistry;
import io.grpc.StatusOr;

/**
 * Resolves {@code fixed:///host:port,host:port} to those addresses once, for the static
 * {@code round_robin} channel that the {@code discovery:///} channel is measured against.
 */
final class FixedAddressesResolverProvider extends NameResolverProvider {

	static final String SCHEME = "fixed";

	private static final FixedAddressesResolverProvider INSTANCE = new FixedAddressesResolverProvider();

	static {
		NameResolverRegistry.getDefaultRegistry().register(INSTANCE);
	}

	/**
	 * Returns the target of a list of addresses, registering this provider on first use.
	 * @param addresses the addresses
	 * @return the {@code fixed:///} target
	 */
	static String target(List<InetSocketAddress> addresses) {
		StringBuilder target = new StringBuilder(SCHEME).append(":///");
		for (InetSocketAddress address : addresses) {
			target.append((target.length() > SCHEME.length() + 4) ? "," : "")
				.append(address.getHostString())
				.append(':')
				.append(address.getPort());
		}
		return target.toString();
	}

	@Override
	protected boolean isAvailable() {
		return true;
	}

	@Override
	protected int priority() {
		return 4;
	}

	@Override
	public String getDefaultScheme() {
		return SCHEME;
	}

	@Override
	public NameResolver newNameResolver(URI targetUri, NameResolver.Args args) {
		if (!SCHEME.equals(targetUri.getScheme())) {
			return null;
		}
		List<EquivalentAddressGroup> addresses = Arrays.stream(targetUri.getPath().substring(1).split(","))
			.map((hostPort) -> new EquivalentAddressGroup(new InetSocketAddress(
					hostPort.substring(0, hostPort.lastIndexOf(':')),
					Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1)))))
			.toList();
		return new NameResolver() {

			@Override
			public String getServiceAuthority() {
				return "fixed";
			}

			@Override
			public void start(Listener2 listener) {
				listener.onResult2(ResolutionResult.newBuilder().setAddressesOrError(StatusOr.fromValue(addresses)).build());
			}

			@Override
			public void shutdown() {
			}

		};
	}

}
