package dev.discovery.benchmarks;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.MoreExecutors;
import dev.discovery.core.DiscoveryBackend;
import dev.discovery.core.DiscoveryClient;
import dev.discovery.core.InstanceStatus;
import dev.discovery.core.Registration;
import dev.discovery.core.ServiceInstance;
import dev.discovery.grpc.DiscoveryNameResolverProvider;
import dev.discovery.grpc.DiscoveryResolverOptions;
import dev.discovery.grpc.GreetingServer;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;

/**
 * gRPC: RPCs per second and latency through {@code discovery:///} against a static
 * {@code round_robin} channel to the same two loopback servers, in paired rounds of one
 * run; and, on each registry, the time from a registration until the new server gets
 * its first RPC and from a drain until the channel's picker no longer chooses it.
 *
 * @param servers the run's servers
 * @param plan how long and how much to measure
 */
record GrpcSection(Servers servers, Plan plan) {

	private static final String SERVICE = "grpc-bench";

	private static final Duration TTL = Duration.ofSeconds(10);

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	/**
	 * Measures and adds the tables to the report.
	 * @param report the report
	 * @param registries the registries whose change-to-picker times are measured
	 * @throws Exception if a server or registry failed, or a change was not seen in 10 s
	 */
	void run(Report report, List<Registry> registries) throws Exception {
		throughput(report);
		List<List<Object>> rows = new ArrayList<>();
		for (Registry registry : registries) {
			changes(registry, rows);
		}
		report.add(new Report.Table("gRPC: registry change → picker", this.plan.changes()
				+ " changes per registry, one at a time, while two threads call back to back through discovery:///. "
				+ "Registration: from the register call to the first RPC on the new server (its connection included). "
				+ "Drain: from setStatus(OUT_OF_SERVICE) to the client's snapshot without it, which the picker reads on "
				+ "every pick.", List.of("registry and change", "changes", "p50 ms", "p99 ms", "max ms"), rows));
	}

	private void throughput(Report report) throws Exception {
		try (GreetingServer one = GreetingServer.start("one"); GreetingServer two = GreetingServer.start("two");
				DiscoveryBackend backend = Registry.INMEMORY.open(this.servers, TTL);
				DiscoveryClient client = new DiscoveryClient(backend)) {
			register(backend, one).setStatus(InstanceStatus.UP);
			register(backend, two).setStatus(InstanceStatus.UP);
			ManagedChannel discovery = NettyChannelBuilder.forTarget("discovery:///" + SERVICE)
				.usePlaintext()
				.setNameResolverArg(DiscoveryNameResolverProvider.OPTIONS, DiscoveryResolverOptions.of(client))
				.build();
			ManagedChannel fixed = FixedAddresses
				.resolveTo(NettyChannelBuilder.forTarget("fixed:///greeting"), List.of(
						new InetSocketAddress("127.0.0.1", one.port()), new InetSocketAddress("127.0.0.1", two.port())))
				.usePlaintext()
				.defaultLoadBalancingPolicy("round_robin")
				.build();
			try {
				load(discovery, this.plan.warmUp(), new Samples());
				load(fixed, this.plan.warmUp(), new Samples());
				Samples ours = new Samples();
				Samples theirs = new Samples();
				List<Double> ratios = new ArrayList<>();
				for (int i = 0; i < this.plan.rounds(); i++) {
					int oursBefore = ours.size();
					int theirsBefore = theirs.size();
					if (i % 2 == 0) {
						load(discovery, this.plan.round(), ours);
						load(fixed, this.plan.round(), theirs);
					}
					else {
						load(fixed, this.plan.round(), theirs);
						load(discovery, this.plan.round(), ours);
					}
					ratios.add((ours.size() - oursBefore) / (double) (theirs.size() - theirsBefore));
				}
				double medianRatio = RoundFigures.median(ratios);
				List<List<Object>> rows = List.of(throughputRow("discovery:///" + SERVICE + " (policy discovery, round-robin)", ours),
						throughputRow("fixed addresses, round_robin", theirs));
				report.add(new Report.Table("gRPC: discovery:/// against a static round_robin channel",
						"Two loopback greeting servers, " + this.plan.concurrency() + " calls in flight, "
								+ this.plan.rounds() + " rounds of " + this.plan.round().toSeconds()
								+ " s per channel, each round both channels back to back, which one first alternating, after "
								+ this.plan.warmUp().toSeconds() + " s of warm-up each. The verdict compares each round's two "
								+ "channels and takes the median of those ratios (here "
								+ RoundFigures.range(ratios)
								+ "), so that a burst of other work on the shared machine during one channel's turn "
								+ "does not decide it.",
						List.of("channel", "RPCs", "RPCs/s", "p50 ms", "p99 ms", "max ms"), rows));
				report.add(new Report.Verdict("discovery:/// RPCs/s within 10 % of static round_robin",
						String.format(Locale.ROOT, "median of %d rounds %.2f× (over all rounds %.0f vs %.0f RPCs/s)",
								ratios.size(), medianRatio, perSecond(ours), perSecond(theirs)),
						medianRatio >= 0.9));
			}
			finally {
				discovery.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
				fixed.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
			}
		}
	}

	private void changes(Registry registry, List<List<Object>> rows) throws Exception {
		Samples registered = new Samples();
		Samples drained = new Samples();
		try (GreetingServer steady = GreetingServer.start("steady");
				DiscoveryBackend owner = registry.open(this.servers, TTL);
				DiscoveryBackend observer = registry.open(this.servers, TTL);
				DiscoveryClient client = new DiscoveryClient(observer);
				Watcher watcher = new Watcher(client, SERVICE)) {
			Registration steadyRegistration = register(owner, steady);
			steadyRegistration.setStatus(InstanceStatus.UP);
			watcher.await(steady.name(), true, TIMEOUT);
			ManagedChannel channel = NettyChannelBuilder.forTarget("discovery:///" + SERVICE)
				.usePlaintext()
				.setNameResolverArg(DiscoveryNameResolverProvider.OPTIONS, DiscoveryResolverOptions.of(client))
				.build();
			try (Caller caller = new Caller(channel, 2)) {
				for (int i = 0; i < this.plan.changes(); i++) {
					try (GreetingServer added = GreetingServer.start("added-" + i)) {
						long start = System.nanoTime();
						Registration registration = owner.register(instance(added, InstanceStatus.UP));
						registered.add(awaitFirstCall(added) - start);
						start = System.nanoTime();
						registration.setStatus(InstanceStatus.OUT_OF_SERVICE);
						drained.add(watcher.await(registration.instance().id(), false, TIMEOUT) - start);
						registration.close();
						added.stopGracefully();
					}
				}
				caller.check();
			}
			finally {
				channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
			}
		}
		rows.add(row(registry.label() + ": register → first RPC", registered));
		rows.add(row(registry.label() + ": drain → picker", drained));
	}

	private static long awaitFirstCall(GreetingServer server) throws InterruptedException {
		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		while (server.calls() == 0) {
			if (System.nanoTime() - deadline > 0) {
				throw new IllegalStateException(server.name() + " got no RPC within " + TIMEOUT);
			}
			Thread.onSpinWait();
		}
		return server.firstCallNanos();
	}

	private static List<Object> row(String label, Samples samples) {
		return List.of(label, samples.size(), samples.medianMillis(), samples.p99Millis(), samples.maxMillis());
	}

	private static Registration register(DiscoveryBackend backend, GreetingServer server) {
		return backend.register(instance(server, InstanceStatus.STARTING));
	}

	private static ServiceInstance instance(GreetingServer server, InstanceStatus status) {
		return ServiceInstance.builder(SERVICE, "127.0.0.1", server.port()).id(server.name()).status(status).build();
	}

	private double perSecond(Samples latencies) {
		return latencies.size() / (this.plan.rounds() * (double) this.plan.round().toNanos() / 1e9);
	}

	private List<Object> throughputRow(String label, Samples latencies) {
		return List.of(label, latencies.size(), Math.round(perSecond(latencies)), latencies.medianMillis(),
				latencies.p99Millis(), latencies.maxMillis());
	}

	/** Calls with a number of calls in flight for a while, adding each call's latency. */
	private void load(ManagedChannel channel, Duration duration, Samples latencies) throws InterruptedException {
		Semaphore inFlight = new Semaphore(this.plan.concurrency());
		AtomicReference<Throwable> failure = new AtomicReference<>();
		long end = System.nanoTime() + duration.toNanos();
		while (System.nanoTime() - end < 0 && failure.get() == null) {
			inFlight.acquire();
			long started = System.nanoTime();
			Futures.addCallback(ClientCalls.futureUnaryCall(channel.newCall(GreetingServer.GREET,
					CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS)), "hello"), new FutureCallback<String>() {

						@Override
						public void onSuccess(String result) {
							long latency = System.nanoTime() - started;
							synchronized (latencies) {
								latencies.add(latency);
							}
							inFlight.release();
						}

						@Override
						public void onFailure(Throwable ex) {
							failure.compareAndSet(null, ex);
							inFlight.release();
						}

					}, MoreExecutors.directExecutor());
		}
		inFlight.acquire(this.plan.concurrency());
		if (failure.get() != null) {
			throw new IllegalStateException("An RPC failed", failure.get());
		}
	}

	/**
	 * How long and how much to measure.
	 *
	 * @param warmUp unmeasured load per channel before the rounds
	 * @param round the length of one measured round
	 * @param rounds the measured rounds per channel
	 * @param concurrency the calls in flight
	 * @param changes the registrations (each followed by a drain) per registry
	 */
	record Plan(Duration warmUp, Duration round, int rounds, int concurrency, int changes) {

		/** The plan of a full run: about 2 minutes. */
		static Plan full() {
			return new Plan(Duration.ofSeconds(5), Duration.ofSeconds(3), 11, 16, 50);
		}

		/** A plan that only proves the section runs. */
		static Plan quick() {
			return new Plan(Duration.ofMillis(200), Duration.ofMillis(300), 1, 4, 2);
		}

	}

	/** Threads that call back to back, so that the picker is in use while the registry changes. */
	private static final class Caller implements AutoCloseable {

		private final List<Thread> threads = new ArrayList<>();

		private final AtomicReference<Throwable> failure = new AtomicReference<>();

		private volatile boolean stopped;

		Caller(ManagedChannel channel, int threads) {
			for (int i = 0; i < threads; i++) {
				Thread thread = new Thread(() -> {
					while (!this.stopped) {
						try {
							ClientCalls.blockingUnaryCall(channel, GreetingServer.GREET,
									CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS), "hello");
						}
						catch (RuntimeException ex) {
							this.failure.compareAndSet(null, ex);
						}
					}
				}, "grpc-bench-caller-" + i);
				thread.setDaemon(true);
				thread.start();
				this.threads.add(thread);
			}
		}

		void check() {
			if (this.failure.get() != null) {
				throw new IllegalStateException("An RPC failed while the registry changed", this.failure.get());
			}
		}

		@Override
		public void close() throws InterruptedException {
			this.stopped = true;
			for (Thread thread : this.threads) {
				thread.join();
			}
		}

	}

}
