package dev.discovery.etcd;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import dev.discovery.core.DiscoveryClient;
import dev.discovery.core.Registration;
import dev.discovery.core.ServiceInstance;
import dev.discovery.etcd.testserver.CapturedLog;
import dev.discovery.etcd.testserver.EtcdExtension;
import dev.discovery.etcd.testserver.EtcdMember;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.CompactOption;
import io.etcd.jetcd.options.GetOption;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A burst of first lookups of many services is answered from one paged read of the namespace,
 * and each watch that follows starts from that read's revision: a change made between the
 * read and the watch is delivered, a compacted revision is read and watched again, the
 * backend's own writes and second lookups are read from etcd, every view converges, and only
 * the services looked up are watched. A few lookups in a large namespace read one page of it.
 */
class EtcdLookupBurstIT {

	@RegisterExtension
	static final EtcdExtension etcd = EtcdExtension.ownCluster(1);

	private final List<AutoCloseable> closeables = new ArrayList<>();

	private String namespace;

	private EtcdBackend owner;

	private EtcdBackend observer;

	@BeforeEach
	void backends() {
		this.namespace = "burst-" + System.nanoTime();
		this.owner = open(backend());
		this.observer = open(backend());
	}

	@AfterEach
	void close() throws Exception {
		for (int i = this.closeables.size() - 1; i >= 0; i--) {
			this.closeables.get(i).close();
		}
	}

	@Test
	void aClientLooksUpEveryServiceWithFewReadsWatchesOnlyThoseAndFollowsLaterChanges() throws Exception {
		Map<String, List<ServiceInstance>> truth = new LinkedHashMap<>();
		List<Registration> registrations = new ArrayList<>();
		for (int service = 0; service < 60; service++) {
			for (int port = 8001; port <= 8002; port++) {
				Registration registration = this.owner.register(instance(service(service), port));
				registrations.add(registration);
				truth.computeIfAbsent(service(service), (name) -> new ArrayList<>()).add(registration.instance());
			}
		}
		this.owner.register(instance("not-looked-up", 8001));
		EtcdMember member = etcd.cluster().member();
		int streamsBefore = member.watchStreams();
		long rangesBefore = member.rangeRequests();
		DiscoveryClient client = open(new DiscoveryClient(this.observer));

		truth.forEach((service, instances) -> assertThat(client.getAllInstances(service)).as(service)
			.containsExactlyElementsOf(sortedById(instances)));

		assertThat(member.rangeRequests() - rangesBefore).as("range reads for 60 first lookups and their watches")
			.isLessThan(30);
		eventually().until(() -> member.watchStreams() == streamsBefore + 60);
		ServiceInstance added = this.owner.register(instance(service(5), 8003)).instance();
		registrations.get(2 * 17).close();
		eventually().untilAsserted(() -> {
			assertThat(client.getAllInstances(service(5))).contains(added).hasSize(3);
			assertThat(client.getAllInstances(service(17))).hasSize(1);
		});
		assertThat(member.watchStreams()).isEqualTo(streamsBefore + 60);
	}

	@Test
	void aChangeBetweenTheNamespaceReadAndTheWatchIsDelivered() throws Exception {
		ServiceInstance before = registerTwentyServicesAndCover(15);
		ServiceInstance added = this.owner.register(instance(service(15), 9001)).instance();

		assertThat(this.observer.instances(service(15))).as("answered by the namespace read").containsExactly(before);
		AtomicReference<List<ServiceInstance>> delivered = new AtomicReference<>();
		open(this.observer.watch(service(15), delivered::set));

		eventually().untilAsserted(() -> assertThat(delivered.get()).containsExactlyInAnyOrder(before, added));
	}

	@Test
	void aWatchFromACompactedRevisionIsReadAndWatchedAgain() throws Exception {
		ServiceInstance before = registerTwentyServicesAndCover(15);
		ServiceInstance added = this.owner.register(instance(service(15), 9001)).instance();
		this.owner.register(instance(service(19), 9001));
		try (Client admin = Client.builder().endpoints(etcd.endpoints().toArray(String[]::new)).build();
				CapturedLog log = new CapturedLog()) {
			long revision = admin.getKVClient().get(bytes("/"), GetOption.builder().withCountOnly(true).build()).get()
				.getHeader().getRevision();
			admin.getKVClient().compact(revision, CompactOption.builder().withCompactPhysical(true).build()).get();

			assertThat(this.observer.instances(service(15))).as("answered by the namespace read").containsExactly(before);
			AtomicReference<List<ServiceInstance>> delivered = new AtomicReference<>();
			open(this.observer.watch(service(15), delivered::set));

			eventually().untilAsserted(() -> assertThat(delivered.get()).containsExactlyInAnyOrder(before, added));
			assertThat(log.linesContaining("Watch of service '" + service(15) + "' interrupted"))
				.anySatisfy((line) -> assertThat(line).contains("compacted"));
		}
	}

	@Test
	void secondLookupsAndTheBackendsOwnWritesAreReadFromEtcd() {
		ServiceInstance before = registerTwentyServicesAndCover(16);
		ServiceInstance added = this.owner.register(instance(service(16), 9001)).instance();

		assertThat(this.observer.instances(service(16))).as("answered by the namespace read").containsExactly(before);
		assertThat(this.observer.instances(service(16))).as("second lookup").containsExactlyInAnyOrder(before, added);
		ServiceInstance own = this.observer.register(instance(service(15), 9002)).instance();
		assertThat(this.observer.reads().namespaceRead()).isNotNull()
			.satisfies((read) -> assertThat(read.covers(service(15))).isTrue());
		assertThat(this.observer.instances(service(15))).as("first lookup after an own write").contains(own).hasSize(2);
	}

	@Test
	void lookupsReadAsManyPagesOfALargeNamespaceAsTheyPayFor() throws Exception {
		int services = 600;
		writeInstances(services, 5);
		for (int service = 0; service < Burst.SIZE - 1; service++) {
			assertThat(this.observer.instances(service(service))).hasSize(5);
		}
		assertThat(this.observer.reads().namespaceRead()).as("before a burst").isNull();

		for (int service = Burst.SIZE - 1; service < Burst.SIZE + 3; service++) {
			assertThat(this.observer.instances(service(service))).hasSize(5);
		}
		NamespaceRead read = this.observer.reads().namespaceRead();
		assertThat(read).isNotNull();
		eventually().until(() -> read.revision() > 0);
		assertThat(read.pagesRequested()).as("pages paid for by 4 lookups").isEqualTo(1);
		assertThat(read.covers(service(services - 1))).isFalse();

		for (int service = services - 40; service < services; service++) {
			assertThat(this.observer.instances(service(service))).hasSize(5);
		}
		eventually().until(() -> read.covers(service(services - 1)));
		assertThat(read.pagesRequested()).isLessThanOrEqualTo(3);
	}

	/**
	 * Registers services 0 to 19 with one instance each, looks up services 0 to 9 through the
	 * observer, one after another, and waits until its namespace read holds a service.
	 * @param covered the index of that service
	 * @return the instance of that service
	 */
	private ServiceInstance registerTwentyServicesAndCover(int covered) {
		List<ServiceInstance> instances = new ArrayList<>();
		for (int service = 0; service < 20; service++) {
			instances.add(this.owner.register(instance(service(service), 8001)).instance());
		}
		for (int service = 0; service < 10; service++) {
			assertThat(this.observer.instances(service(service))).containsExactly(instances.get(service));
		}
		eventually().until(() -> {
			NamespaceRead read = this.observer.reads().namespaceRead();
			return read != null && read.covers(service(covered));
		});
		return instances.get(covered);
	}

	private void writeInstances(int services, int perService) throws Exception {
		InstanceCodec codec = new InstanceCodec();
		EtcdKeys keys = new EtcdKeys(this.namespace);
		try (Client writer = Client.builder().endpoints(etcd.endpoints().toArray(String[]::new)).build()) {
			List<CompletableFuture<?>> puts = new ArrayList<>();
			for (int service = 0; service < services; service++) {
				for (int port = 8001; port < 8001 + perService; port++) {
					ServiceInstance instance = instance(service(service), port);
					puts.add(writer.getKVClient().put(keys.instance(instance), ByteSequence.from(codec.encode(instance))));
				}
			}
			CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)).get();
		}
	}

	private EtcdBackend backend() {
		return EtcdBackend.builder()
			.endpoints(etcd.endpoints())
			.namespace(this.namespace)
			.ttl(Duration.ofSeconds(10))
			.requestTimeout(Duration.ofSeconds(2))
			.build();
	}

	private <T extends AutoCloseable> T open(T closeable) {
		this.closeables.add(closeable);
		return closeable;
	}

	private static List<ServiceInstance> sortedById(List<ServiceInstance> instances) {
		return instances.stream().sorted(Comparator.comparing(ServiceInstance::id)).toList();
	}

	private static ServiceInstance instance(String service, int port) {
		return ServiceInstance.builder(service, "127.0.0.1", port).build();
	}

	private static String service(int index) {
		return String.format(Locale.ROOT, "svc-%04d", index);
	}

	private static ByteSequence bytes(String text) {
		return ByteSequence.from(text, StandardCharsets.UTF_8);
	}

	private static ConditionFactory eventually() {
		return Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20));
	}

}
