package dev.discovery.benchmarks;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.IntUnaryOperator;

import dev.discovery.consul.ConsulBackend;
import dev.discovery.consul.testserver.AtRest;
import dev.discovery.consul.testserver.BackendThreads;
import dev.discovery.consul.testserver.CatalogWriter;
import dev.discovery.consul.testserver.ConnectionPeak;
import dev.discovery.consul.testserver.ConsulAgentExtension;
import dev.discovery.consul.testserver.LoopbackConnections;
import dev.discovery.core.DiscoveryClient;
import dev.discovery.core.ServiceEvent;
import org.awaitility.Awaitility;

/**
 * Scale on Consul: one client follows every service of a datacenter of 1 to 2,000 services
 * (one instance each, written into the catalog from 127.0.0.2 on 10 other nodes) of a
 * Consul server started as in production, since the size of the answers matters here and a
 * {@code -dev} agent pretty-prints them, with the default connection budget, over http and
 * over https, where blocking queries share connections as HTTP/2 streams; each scheme on a
 * server of its own. For each size it counts the client's threads and its connections from
 * 127.0.0.1, its agent requests per second at rest and per change, and
 * the heap per followed service; then new instances appear and go, timed until the client's
 * listener sees them, next to a raw blocking query on the same service that sees the same
 * change (the floor of the same run): on the first service (a blocking query of its own
 * from the start), on the last one (on the detector until one of its changes finds a
 * blocking query that has been quiet for 10 s and takes it over, which depends on how long
 * the steps before took), and spread over every service after the first 11 (a
 * service changes once, so most of these go through the detector).
 */
final class ConsulScaleSection {

	private static final int NODES = 10;

	private static final Duration REST = Duration.ofSeconds(5);

	/** Blocking queries of their own in the default budget; the services after them start on the detector. */
	private static final int SLOTS = 11;

	/** The default budget of agent connections. */
	private static final int CONNECTIONS = 16;

	/**
	 * The client's threads whatever the number of services: one per connection of the budget
	 * but the shared ones (the blocking queries and the detector), 4 reads, 4 deliveries and 2
	 * heartbeat threads.
	 */
	private static final int MAX_THREADS = SLOTS + 1 + 4 + 4 + 2;

	/** Over https, also the 2 threads that handle the streams' answers. */
	private static final int MAX_THREADS_HTTPS = MAX_THREADS + 2;

	private static final List<String> SCHEMES = List.of("http", "https");

	private static final int LISTINGS = 20;

	private final Servers servers;

	private final List<Integer> sizes;

	private final int changes;

	/**
	 * Creates the section.
	 * @param servers the run's servers
	 * @param sizes the numbers of services, ascending
	 * @param changes how many changes to time per service and size
	 */
	ConsulScaleSection(Servers servers, List<Integer> sizes, int changes) {
		this.servers = servers;
		this.sizes = sizes;
		this.changes = changes;
	}

	/**
	 * Measures and adds the table and verdicts to the report.
	 * @param report the report
	 * @throws Exception if Consul failed or a change was not seen in time
	 */
	void run(Report report) throws Exception {
		List<List<Object>> rows = new ArrayList<>();
		Map<String, Boolean> withinTwiceTheFloor = new LinkedHashMap<>();
		boolean flat = true;
		for (String scheme : SCHEMES) {
			ConsulAgentExtension agent = this.servers.productionConsul("scale over " + scheme);
			try (CatalogWriter writer = new CatalogWriter(agent.host(), agent.port())) {
				int written = 0;
				for (int size : this.sizes) {
					for (; written < size; written++) {
						writer.register(node(written), service(written), service(written) + "-a", 20000 + written);
					}
					Size measured = measure(agent, writer, size, scheme);
					flat &= measured.threads() <= maxThreads(scheme) && measured.connections() <= CONNECTIONS;
					for (Target target : measured.targets()) {
						withinTwiceTheFloor.merge(scheme, target.ours().p99Millis() <= 2 * target.floor().p99Millis(),
								Boolean::logicalAnd);
						rows.add(List.of((double) size, scheme, target.name(), target.ours().medianMillis(),
								target.floor().medianMillis(), target.ours().p99Millis(), target.floor().p99Millis(),
								target.ours().p99Millis() / target.floor().p99Millis(), (double) measured.threads(),
								(double) measured.connections(), measured.listingMillis(),
								measured.requestsPerSecondAtRest(), target.requestsPerChange(),
								measured.bytesPerInstance()));
					}
				}
			}
		}
		report.add(new Report.Table("Scale on Consul", "A Consul server started as in production (-server "
				+ "-bootstrap-expect 1, raft log on disk; a -dev agent pretty-prints its answers, which makes the "
				+ "listing of every check about 1.5× as large), one for the runs over http and another for those "
				+ "over https, since Consul 1.8 ends the blocking queries of a closed client only when their wait "
				+ "runs out. One client (ConsulBackend "
				+ "with the default budget of 16 connections, and DiscoveryClient) looks up every service of the "
				+ "datacenter, one instance each; then an instance appears and goes " + this.changes / 2
				+ " times on each of: the first service (its own blocking query), the last one (over http, the "
				+ "change detector, until one of its changes finds a blocking query quiet for 10 s and takes it "
				+ "over, which depends on how long the steps before took), and a different service each time after "
				+ "the first 11 (over http mostly the detector); seen by the client's listener and, as the floor, by "
				+ "a raw blocking query on that service over the same scheme in the same run. Over https every "
				+ "service has a blocking query of its own, an HTTP/2 stream, 200 to a connection. Threads: the "
				+ "client's discovery-consul threads (over https, one of them is the I/O thread of every stream "
				+ "connection); connections: the most open from 127.0.0.1 to the port of the scheme while "
				+ "looking up and at rest; requests per second at rest: over 5 s, from when the client had made no "
				+ "request for 300 ms; requests per change counts every agent request the client made; heap: "
				+ "the bytes of the live objects (a class histogram after a full GC) per followed service of one "
				+ "instance; the agent's time to list every check (what the detector "
				+ "waits for on each change) is the median of " + LISTINGS + " plain GETs of /v1/health/state/any "
				+ "at rest.",
				List.of("services", "scheme", "changed service", "p50 ms", "floor p50 ms", "p99 ms", "floor p99 ms",
						"p99 ÷ floor", "threads", "connections", "agent lists every check, p50 ms", "requests/s at rest",
						"requests per change", "heap per followed service, bytes"),
				rows));
		withinTwiceTheFloor.forEach((scheme, met) -> report.add(new Report.Verdict(
				"Consul scale: propagation p99 within 2× the raw floor at every size, over " + scheme,
				met ? "yes" : "no (see the table)", met)));
		report.add(new Report.Verdict("Consul scale: threads and connections flat in the number of services (at most "
				+ MAX_THREADS + " threads over http, " + MAX_THREADS_HTTPS + " over https, and " + CONNECTIONS
				+ " connections at every size)", flat ? "yes" : "no (see the table)", flat));
	}

	private static int maxThreads(String scheme) {
		return scheme.equals("https") ? MAX_THREADS_HTTPS : MAX_THREADS;
	}

	private Size measure(ConsulAgentExtension agent, CatalogWriter writer, int size, String scheme) throws Exception {
		boolean https = scheme.equals("https");
		int port = https ? agent.httpsPort() : agent.port();
		int before = LoopbackConnections.count("127.0.0.1", port);
		ConnectionPeak connections = ConnectionPeak.start("127.0.0.1", port, Duration.ofMillis(10));
		String rawBase = scheme + "://" + agent.host() + ":" + port;
		try (ConsulBackend backend = (https ? agent.httpsBackend() : agent.backend()).build();
				DiscoveryClient client = new DiscoveryClient(backend)) {
			client.getInstances("absent");
			long base = LiveHeap.bytes();
			for (int i = 0; i < size; i++) {
				if (client.getInstances(service(i)).size() != 1) {
					throw new IllegalStateException(service(i) + " does not have its one instance");
				}
			}
			Awaitility.await()
				.atMost(Duration.ofMinutes(1))
				.until(() -> backend.health().details().get("pendingReads").equals(0));
			double bytesPerInstance = (double) (LiveHeap.bytes() - base) / size;
			AtRest.await(backend);
			long restStarted = System.nanoTime();
			long requestsBefore = AtRest.requests(backend);
			pause(REST);
			double atRest = (AtRest.requests(backend) - requestsBefore) / ((System.nanoTime() - restStarted) / 1e9);
			connections.close();
			double listingMillis = listing(agent);
			int threads = BackendThreads.count();
			HttpClient raw = (https ? HttpClient.newBuilder().sslContext(agent.trustingCa()) : HttpClient.newBuilder())
				.connectTimeout(Duration.ofSeconds(5))
				.build();
			List<Target> targets = new ArrayList<>();
			targets.add(time(raw, rawBase, writer, client, backend, "first (" + service(0) + ")", (i) -> 0));
			if (size > SLOTS) {
				targets.add(time(raw, rawBase, writer, client, backend, "last (" + service(size - 1) + ")",
						(i) -> size - 1));
				targets.add(time(raw, rawBase, writer, client, backend, "spread over " + (size - SLOTS),
						(i) -> SLOTS + (i % (size - SLOTS))));
			}
			return new Size(threads, connections.most() - before, listingMillis, atRest, bytesPerInstance, targets);
		}
		finally {
			connections.close();
		}
	}

	private Target time(HttpClient http, String rawBase, CatalogWriter writer, DiscoveryClient client,
			ConsulBackend backend, String name, IntUnaryOperator serviceOfChange) throws Exception {
		Samples oursSamples = new Samples();
		Samples floorSamples = new Samples();
		long requests = 0;
		for (int i = 0; i < this.changes / 2; i++) {
			int index = serviceOfChange.applyAsInt(i);
			String service = service(index);
			BlockingQueue<PropagationSection.Seen> ours = new LinkedBlockingQueue<>();
			BlockingQueue<PropagationSection.Seen> raw = new LinkedBlockingQueue<>();
			PropagationSection.BlockingQuery query = new PropagationSection.BlockingQuery(http,
					rawBase + "/v1/health/service/" + service + "?passing=true",
					raw);
			Thread thread = new Thread(query, "raw-consul-scale-query");
			thread.setDaemon(true);
			thread.start();
			try (AutoCloseable listener = client.addListener(service, (event) -> ours.add(new PropagationSection.Seen(
					event.instance().id(), event.type() != ServiceEvent.Type.DEREGISTERED, System.nanoTime())))) {
				query.awaitFirst();
				long requestsBefore = AtRest.requests(backend);
				String id = service + "-x" + i;
				for (boolean present : new boolean[] { true, false }) {
					long started = System.nanoTime();
					if (present) {
						writer.register(node(index), service, id, 30000 + i);
					}
					else {
						writer.deregister(node(index), id);
					}
					oursSamples.add(PropagationSection.await(ours, id, present) - started);
					floorSamples.add(PropagationSection.await(raw, id, present) - started);
				}
				requests += AtRest.requests(backend) - requestsBefore;
			}
			finally {
				query.stop();
				thread.interrupt();
			}
		}
		return new Target(name, oursSamples, floorSamples, (double) requests / this.changes);
	}

	private static double listing(ConsulAgentExtension agent) throws Exception {
		HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
		HttpRequest request = HttpRequest
			.newBuilder(URI.create("http://" + agent.host() + ":" + agent.port() + "/v1/health/state/any"))
			.build();
		Samples samples = new Samples();
		for (int i = 0; i < LISTINGS; i++) {
			long started = System.nanoTime();
			HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
			samples.add(System.nanoTime() - started);
			if (response.statusCode() != 200) {
				throw new IllegalStateException("listing every check answered " + response.statusCode());
			}
		}
		return samples.medianMillis();
	}

	private static void pause(Duration duration) throws InterruptedException {
		Thread.sleep(duration.toMillis());
	}

	private static String service(int index) {
		return String.format(Locale.ROOT, "scale-%04d", index);
	}

	private static String node(int index) {
		return "scale-node-" + (index % NODES);
	}

	private record Target(String name, Samples ours, Samples floor, double requestsPerChange) {
	}

	private record Size(int threads, int connections, double listingMillis, double requestsPerSecondAtRest,
			double bytesPerInstance, List<Target> targets) {
	}

}
