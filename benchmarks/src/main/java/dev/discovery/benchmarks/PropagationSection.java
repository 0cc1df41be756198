package dev.discovery.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.discovery.consul.testserver.ConsulAgentExtension;
import dev.discovery.core.DiscoveryBackend;
import dev.discovery.core.DiscoveryClient;
import dev.discovery.core.Registration;
import dev.discovery.core.ServiceInstance;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import org.jspecify.annotations.Nullable;

/**
 * Propagation: an instance registered (then deregistered) through client A until client B's
 * {@link DiscoveryClient} can (no longer) choose it, on each registry, next to the raw floor
 * of the same server measured in turns with it: a jetcd put (or delete) until a prefix watch
 * delivers it, and a Consul agent registration (or deregistration) until a blocking health
 * query returns the new list. Measured one block after the other instead, the etcd ratio of
 * medians moved between 1.1× and 2.7× from run to run, with 20 or with 1,000 changes of
 * warm-up; in turns it stayed at 1.3–1.4×, whichever of the two went first in a turn.
 */
final class PropagationSection {

	private static final String SERVICE = "propagation";

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static final Duration TTL = Duration.ofSeconds(10);

	/** Changes made before measuring, so that connections, the lease and the JIT are warm. */
	private static final int WARM_UP = 20;

	private final Servers servers;

	private final int changes;

	/**
	 * Creates the section.
	 * @param servers the run's servers
	 * @param changes how many changes to measure per registry, half registrations and half
	 * deregistrations
	 */
	PropagationSection(Servers servers, int changes) {
		this.servers = servers;
		this.changes = changes;
	}

	/**
	 * Measures every registry and floor and adds the table and verdicts to the report.
	 * @param report the report
	 * @param registries the registries to measure
	 * @throws Exception if a change did not propagate within 10 s, or a server failed
	 */
	void run(Report report, List<Registry> registries) throws Exception {
		List<List<Object>> rows = new ArrayList<>();
		for (Registry registry : registries) {
			Samples ours = new Samples();
			Samples floor = (registry == Registry.INMEMORY) ? null : new Samples();
			measure(registry, ours, floor);
			rows.add(row(registry.label() + ": A register/deregister → B's DiscoveryClient", ours, floor));
			if (floor != null) {
				rows.add(row(registry.label() + " raw floor: " + ((registry == Registry.ETCD) ? "jetcd put/delete → watch event"
						: "agent register/deregister → blocking query returns"), floor, null));
			}
			if (registry == Registry.ETCD) {
				report.add(new Report.Verdict("etcd propagation p99 at most 2× the raw floor and under 10 ms",
						String.format(Locale.ROOT, "p99 %.2f ms = %.2f× the floor's %.2f ms", ours.p99Millis(),
								ours.p99Millis() / floor.p99Millis(), floor.p99Millis()),
						ours.p99Millis() <= 2 * floor.p99Millis() && ours.p99Millis() < 10));
			}
			if (registry == Registry.CONSUL) {
				report.add(new Report.Verdict("Consul propagation p99 under 100 ms",
						String.format(Locale.ROOT, "p99 %.1f ms (floor %.1f ms)", ours.p99Millis(), floor.p99Millis()),
						ours.p99Millis() < 100));
			}
		}
		report.add(new Report.Table("Propagation", this.changes + " changes per row, half registrations and half "
				+ "deregistrations, one at a time after " + WARM_UP + " unmeasured ones; each timed from the call on A (or the raw write) to the event "
				+ "delivered in B. A registry's path and its raw floor take turns, an instance's appearance and "
				+ "departure each, so that both are measured with the same JIT state and the same noise. Ratios are "
				+ "to the raw floor of the same server in the same run.",
				List.of("path", "changes", "p50 ms", "p99 ms", "max ms", "p50 ÷ floor", "p99 ÷ floor"), rows));
	}

	private static List<Object> row(String path, Samples samples, Samples floor) {
		return List.of(path, samples.size(), samples.medianMillis(), samples.p99Millis(), samples.maxMillis(),
				(floor != null) ? samples.medianMillis() / floor.medianMillis() : Double.NaN,
				(floor != null) ? samples.p99Millis() / floor.p99Millis() : Double.NaN);
	}

	/**
	 * Times changes through the registry's clients into {@code ours} and, in turns with
	 * them, changes of the raw floor into {@code floor} unless that is null.
	 */
	private void measure(Registry registry, Samples ours, @Nullable Samples floor) throws Exception {
		try (DiscoveryBackend a = registry.open(this.servers, TTL); DiscoveryBackend b = registry.open(this.servers, TTL);
				DiscoveryClient client = new DiscoveryClient(b); Watcher watcher = new Watcher(client, SERVICE);
				Floor raw = (floor != null) ? openFloor(registry) : null) {
			Registration[] registered = new Registration[1];
			Change ourChange = (i, present) -> {
				ServiceInstance instance = ServiceInstance.builder(SERVICE, "127.0.0.1", 20000 + i).build();
				if (present) {
					registered[0] = a.register(instance);
				}
				else {
					registered[0].close();
				}
				return watcher.await(instance.id(), present, TIMEOUT);
			};
			for (int i = 0; ours.size() < this.changes; i++) {
				if (i == WARM_UP / 2) {
					ours.clear();
					if (floor != null) {
						floor.clear();
					}
				}
				timeAppearanceAndDeparture(ourChange, i, ours);
				if (raw != null) {
					timeAppearanceAndDeparture(raw, i, floor);
				}
			}
		}
	}

	private Floor openFloor(Registry registry) throws Exception {
		return (registry == Registry.ETCD) ? new EtcdFloor(this.servers.etcdEndpoint())
				: new ConsulFloor(this.servers.consul());
	}

	/** Makes instance {@code i} appear, then go, and adds the time each took to be seen. */
	private static void timeAppearanceAndDeparture(Change change, int i, Samples samples) throws Exception {
		for (boolean present : new boolean[] { true, false }) {
			long started = System.nanoTime();
			samples.add(change.make(i, present) - started);
		}
	}

	private static void send(HttpClient http, String uri, String body) throws Exception {
		HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(uri)).timeout(TIMEOUT)
			.PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() != 200) {
			throw new IllegalStateException("PUT " + uri + " gave " + response.statusCode() + ": " + response.body());
		}
	}

	static long await(BlockingQueue<Seen> seen, String key, boolean present)
			throws InterruptedException, TimeoutException {
		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		while (true) {
			Seen next = seen.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
			if (next == null) {
				throw new TimeoutException(key + (present ? " was not seen" : " did not go") + " within " + TIMEOUT);
			}
			if (next.key().equals(key) && next.present() == present) {
				return next.at();
			}
		}
	}

	private static ByteSequence bytes(String text) {
		return ByteSequence.from(text, StandardCharsets.UTF_8);
	}

	/**
	 * One change of one instance, made and awaited.
	 */
	@FunctionalInterface
	private interface Change {

		/**
		 * Makes instance {@code i} appear or go, and waits until the observer saw it.
		 * @param i the instance number
		 * @param present whether it appears
		 * @return when the observer saw it, in {@link System#nanoTime()} terms
		 * @throws Exception if it failed or was not seen in time
		 */
		long make(int i, boolean present) throws Exception;

	}

	/**
	 * A raw floor: the registry's own client makes a change and its own means of watching
	 * sees it, without anything of discovery in between.
	 */
	private interface Floor extends Change, AutoCloseable {

	}

	/** A jetcd put (or delete) until a prefix watch delivers it. */
	private static final class EtcdFloor implements Floor {

		private final BlockingQueue<Seen> seen = new LinkedBlockingQueue<>();

		private final ByteSequence value = bytes("x".repeat(200));

		private final Client client;

		private final Watch.Watcher watch;

		EtcdFloor(String endpoint) {
			this.client = Client.builder().endpoints(endpoint).build();
			this.watch = this.client.getWatchClient()
				.watch(bytes("/raw/"), WatchOption.builder().isPrefix(true).build(), (response) -> {
					long now = System.nanoTime();
					for (WatchEvent event : response.getEvents()) {
						this.seen.add(new Seen(event.getKeyValue().getKey().toString(StandardCharsets.UTF_8),
								event.getEventType() == WatchEvent.EventType.PUT, now));
					}
				});
		}

		@Override
		public long make(int i, boolean present) throws Exception {
			String key = "/raw/" + i;
			KV kv = this.client.getKVClient();
			if (present) {
				kv.put(bytes(key), this.value).get();
			}
			else {
				kv.delete(bytes(key)).get();
			}
			return await(this.seen, key, present);
		}

		@Override
		public void close() {
			this.watch.close();
			this.client.close();
		}

	}

	/** A registration (or deregistration) on the agent until a blocking query returns it. */
	private static final class ConsulFloor implements Floor {

		private final BlockingQueue<Seen> seen = new LinkedBlockingQueue<>();

		private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

		private final String base;

		private final BlockingQuery query;

		private final Thread thread;

		ConsulFloor(ConsulAgentExtension agent) throws InterruptedException {
			this.base = "http://" + agent.host() + ":" + agent.port();
			this.query = new BlockingQuery(this.http, this.base + "/v1/health/service/raw?passing=true", this.seen);
			this.thread = new Thread(this.query, "raw-consul-blocking-query");
			this.thread.setDaemon(true);
			this.thread.start();
			this.query.awaitFirst();
		}

		@Override
		public long make(int i, boolean present) throws Exception {
			String id = "raw-" + i;
			if (present) {
				send(this.http, this.base + "/v1/agent/service/register", "{\"ID\":\"" + id + "\",\"Name\":\"raw\","
						+ "\"Address\":\"127.0.0.1\",\"Port\":" + (20000 + i) + "}");
			}
			else {
				send(this.http, this.base + "/v1/agent/service/deregister/" + id, "");
			}
			return await(this.seen, id, present);
		}

		@Override
		public void close() {
			this.query.stop();
			this.thread.interrupt();
		}

	}

	/**
	 * One observation of the raw floors: a key (or service id) present or gone at a time.
	 */
	record Seen(String key, boolean present, long at) {
	}

	/**
	 * Repeats a Consul blocking query and, each time it returns with a new index, notes the
	 * service ids that appeared in or went from the answer.
	 */
	static final class BlockingQuery implements Runnable {

		private static final Pattern SERVICE_ID = Pattern
			.compile("\"Service\"\\s*:\\s*\\{\\s*\"ID\"\\s*:\\s*\"([^\"]+)\"");

		private Set<String> present = Set.of();

		private final HttpClient http;

		private final String uri;

		private final BlockingQueue<Seen> seen;

		private final CountDownLatch first = new CountDownLatch(1);

		private volatile boolean running = true;

		BlockingQuery(HttpClient http, String uri, BlockingQueue<Seen> seen) {
			this.http = http;
			this.uri = uri;
			this.seen = seen;
		}

		@Override
		public void run() {
			String index = "0";
			while (this.running) {
				try {
					HttpResponse<String> response = this.http.send(HttpRequest
						.newBuilder(URI.create(this.uri + "&wait=5s&index=" + index))
						.timeout(TIMEOUT)
						.build(), HttpResponse.BodyHandlers.ofString());
					long now = System.nanoTime();
					String next = response.headers().firstValue("X-Consul-Index").orElse(index);
					if (!next.equals(index)) {
						Set<String> present = new HashSet<>();
						Matcher ids = SERVICE_ID.matcher(response.body());
						while (ids.find()) {
							present.add(ids.group(1));
						}
						present.stream().filter((id) -> !this.present.contains(id))
							.forEach((id) -> this.seen.add(new Seen(id, true, now)));
						this.present.stream().filter((id) -> !present.contains(id))
							.forEach((id) -> this.seen.add(new Seen(id, false, now)));
						this.present = present;
					}
					index = next;
					this.first.countDown();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return;
				}
				catch (IOException ex) {
					if (this.running) {
						throw new UncheckedIOException(ex);
					}
				}
			}
		}

		void awaitFirst() throws InterruptedException {
			if (!this.first.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
				throw new IllegalStateException("The first blocking query did not return");
			}
		}

		void stop() {
			this.running = false;
		}

	}

}
