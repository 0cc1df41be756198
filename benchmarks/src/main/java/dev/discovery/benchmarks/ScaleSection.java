package dev.discovery.benchmarks;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.LongPredicate;

import dev.discovery.core.DiscoveryBackend;
import dev.discovery.core.DiscoveryClient;
import dev.discovery.core.Registration;
import dev.discovery.core.ServiceInstance;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import org.awaitility.Awaitility;

/**
 * Scale on etcd: many services of many instances registered through one backend (one lease),
 * timed against the same number of raw jetcd puts of the same values under one lease, the two
 * taking turns service by service so that the machine's noise and etcd's growth fall on both
 * alike; then a fresh client looks every service up, timed against one raw range read of all
 * the keys, and its heap growth is divided by the instances it caches.
 */
final class ScaleSection {

	private static final Duration TTL = Duration.ofSeconds(30);

	/**
	 * The TTL of the raw anchor's lease, which nothing renews: long enough to outlast the
	 * section on a slow machine, since the TTL does not change what a put costs.
	 */
	private static final Duration RAW_LEASE_TTL = Duration.ofMinutes(10);

	private static final String NAMESPACE_PREFIX = "/discovery/";

	private static final String WARM_UP = "warm-up";

	private static final double MIN_REGISTRATION_RATIO = 0.9;

	private static final int TARGET_BYTES_PER_INSTANCE = 512;

	private static final double MAX_VIEW_RATIO = 3;

	/** The longest the section waits for etcd to count a client's watches started or ended. */
	private static final Duration WATCHES_SETTLE = Duration.ofMinutes(1);

	/** How many times the range read and the full view take turns. */
	private static final int VIEW_ROUNDS = 5;

	private final Servers servers;

	private final int services;

	private final int instancesPerService;

	/**
	 * Creates the section.
	 * @param servers the run's servers
	 * @param services how many services
	 * @param instancesPerService how many instances each
	 */
	ScaleSection(Servers servers, int services, int instancesPerService) {
		this.servers = servers;
		this.services = services;
		this.instancesPerService = instancesPerService;
	}

	/**
	 * Measures and adds the table and verdicts to the report.
	 * @param report the report
	 * @throws Exception if etcd failed, or the view was incomplete
	 */
	void run(Report report) throws Exception {
		int total = this.services * this.instancesPerService;
		try (DiscoveryBackend registering = Registry.ETCD.open(this.servers, TTL);
				Client raw = Client.builder().endpoints(this.servers.etcdEndpoint()).build()) {
			KV kv = raw.getKVClient();
			long lease = raw.getLeaseClient().grant(RAW_LEASE_TTL.toSeconds()).get().getID();
			List<Registration> warmUp = register(registering, WARM_UP);
			ByteSequence value = kv.get(bytes(NAMESPACE_PREFIX), GetOption.builder().isPrefix(true).withLimit(1).build())
				.get()
				.getKvs()
				.get(0)
				.getValue();
			put(kv, lease, value, WARM_UP);
			for (Registration registration : warmUp) {
				registration.close();
			}
			long registerNanos = 0;
			long putNanos = 0;
			for (int service = 0; service < this.services; service++) {
				long started = System.nanoTime();
				register(registering, service(service));
				registerNanos += System.nanoTime() - started;
				started = System.nanoTime();
				put(kv, lease, value, service(service));
				putNanos += System.nanoTime() - started;
			}
			double registerSeconds = registerNanos / 1e9;
			double putSeconds = putNanos / 1e9;
			Samples rangeReads = new Samples();
			Samples views = new Samples();
			List<Double> bytesPerInstance = new ArrayList<>();
			int keys = 0;
			long idleWatchers = this.servers.etcdWatchers();
			for (int round = 0; round < VIEW_ROUNDS; round++) {
				long started = System.nanoTime();
				keys = kv.get(bytes(NAMESPACE_PREFIX), GetOption.builder().isPrefix(true).build()).get().getKvs().size();
				rangeReads.add(System.nanoTime() - started);
				View view = fullView(total, idleWatchers);
				views.add(view.nanos());
				bytesPerInstance.add(view.bytesPerInstance());
			}
			double rangeMillis = rangeReads.medianMillis();
			double viewMillis = views.medianMillis();
			double bytes = RoundFigures.median(bytesPerInstance);
			double registerRate = total / registerSeconds;
			double putRate = total / putSeconds;
			report.add(new Report.Table("Scale on etcd", this.services + " services × " + this.instancesPerService
					+ " instances (" + total + "), registered one after another through one backend (one lease); "
					+ "the raw anchor puts the same " + value.size() + "-byte values under one lease, one service's "
					+ "worth after each service registered, after one unmeasured service of each. A fresh "
					+ "client then looks up every service (read + watch each); its anchor is one raw range read of all "
					+ keys + " keys; the two take turns " + VIEW_ROUNDS + " times, each time with a new client, and "
					+ "the table gives the medians, since one range read of about 100 ms is too short to time once "
					+ "on a shared machine. Heap: the bytes of the live objects (a class histogram after a full GC), once "
					+ "etcd counts every service's watch, minus those after the client's first lookup (its fixed cost), "
					+ "per cached instance; it includes each service's watch.",
					List.of("measure", "ours", "anchor", "ours ÷ anchor"),
					List.of(List.of("registrations per second (anchor: raw jetcd puts)", registerRate, putRate,
							registerRate / putRate),
							List.of("time to the full view, ms (anchor: one range read)", viewMillis, rangeMillis,
									viewMillis / rangeMillis),
							List.of("heap per cached instance, bytes (anchor: the 512-byte target)", bytes,
									(double) TARGET_BYTES_PER_INSTANCE, bytes / TARGET_BYTES_PER_INSTANCE))));
			report.add(new Report.Verdict("etcd registrations at least " + MIN_REGISTRATION_RATIO + "× raw puts",
					String.format(Locale.ROOT, "%.0f against %.0f per second: %.2f×", registerRate, putRate,
							registerRate / putRate),
					registerRate / putRate >= MIN_REGISTRATION_RATIO));
			report.add(new Report.Verdict("etcd, " + this.services + " services: full view within "
					+ MAX_VIEW_RATIO + "× one range read (medians of " + VIEW_ROUNDS + " turns)",
					String.format(Locale.ROOT, "%.0f against %.0f ms: %.2f× (turns: %.0f–%.0f against %.0f–%.0f ms)",
							viewMillis, rangeMillis, viewMillis / rangeMillis, views.minMillis(),
							views.maxMillis(), rangeReads.minMillis(), rangeReads.maxMillis()),
					viewMillis / rangeMillis <= MAX_VIEW_RATIO));
			report.add(new Report.Verdict("etcd, " + total + " instances: heap per cached instance at most "
					+ TARGET_BYTES_PER_INSTANCE + " bytes", String.format(Locale.ROOT, "%.0f bytes (views: %s)", bytes,
							RoundFigures.range(bytesPerInstance)),
					bytes <= TARGET_BYTES_PER_INSTANCE));
		}
	}

	private View fullView(int total, long idleWatchers) throws Exception {
		awaitWatchers("the last client's watches to end", (watchers) -> watchers <= idleWatchers);
		try (DiscoveryBackend watching = Registry.ETCD.open(this.servers, TTL);
				DiscoveryClient client = new DiscoveryClient(watching)) {
			client.getInstances("absent");
			awaitWatchers("the first lookup's watch", (watchers) -> watchers > idleWatchers);
			long base = LiveHeap.bytes();
			long started = System.nanoTime();
			int seen = 0;
			for (int service = 0; service < this.services; service++) {
				seen += client.getInstances(service(service)).size();
			}
			long nanos = System.nanoTime() - started;
			if (seen != total) {
				throw new IllegalStateException("The full view has " + seen + " instances, not " + total);
			}
			awaitWatchers("a watch for every service",
					(watchers) -> watchers >= idleWatchers + 1 + this.services);
			return new View(nanos, (double) (LiveHeap.bytes() - base) / total);
		}
	}

	/**
	 * Waits until etcd counts the watches the condition asks for: the view's watches start
	 * after its lookups, so its heap is measured once etcd has them all.
	 */
	private void awaitWatchers(String what, LongPredicate condition) {
		Awaitility.await(what).atMost(WATCHES_SETTLE).until(() -> condition.test(this.servers.etcdWatchers()));
	}

	/** Registers one service's instances through the backend, one after another. */
	private List<Registration> register(DiscoveryBackend backend, String service) {
		List<Registration> registrations = new ArrayList<>();
		for (int instance = 0; instance < this.instancesPerService; instance++) {
			registrations.add(backend.register(ServiceInstance.builder(service, "127.0.0.1", 10000 + instance).build()));
		}
		return registrations;
	}

	/** Puts one service's worth of the value under the lease with raw jetcd, one after another. */
	private void put(KV kv, long lease, ByteSequence value, String service) throws Exception {
		for (int instance = 0; instance < this.instancesPerService; instance++) {
			kv.put(bytes("/raw-scale/" + service + "/" + instance), value, PutOption.builder().withLeaseId(lease).build())
				.get();
		}
	}

	private static String service(int index) {
		return String.format(Locale.ROOT, "service-%04d", index);
	}

	private static ByteSequence bytes(String text) {
		return ByteSequence.from(text, StandardCharsets.UTF_8);
	}

	private record View(long nanos, double bytesPerInstance) {
	}

}
