package dev.discovery.etcd;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.discovery.core.DiscoveryClient;
import dev.discovery.core.InstanceStatus;
import dev.discovery.core.ServiceInstance;
import dev.discovery.core.testserver.ServerBinary;
import dev.discovery.etcd.testserver.EtcdExtension;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Walks through the etcdctl example of {@code docs/registry-format.md} as written, with a
 * real etcdctl against a real etcd, and checks that our client sees what the document
 * says: the hand-registered instance is chosen, no longer chosen once drained, and gone
 * once its lease is revoked, or within the TTL once its keep-alive stops.
 */
class RegistryFormatDocumentIT {

	private static final String DOCUMENT = "docs/registry-format.md";

	private static final Duration EXPIRY_MARGIN = Duration.ofSeconds(5);

	private static final Duration PROPAGATION = Duration.ofSeconds(5);

	@RegisterExtension
	static final EtcdExtension etcd = EtcdExtension.anyEtcd();

	private final ServiceInstance documented = ServiceInstance.builder("orders", "127.0.0.1", 8080)
		.id("orders-1")
		.zone("eu-1")
		.weight(10)
		.tag("v2")
		.metadata("version", "2.1")
		.build();

	private String block;

	private Map<String, String> environment;

	private EtcdBackend backend;

	private DiscoveryClient client;

	@BeforeEach
	void readDocumentAndConnect() throws Exception {
		this.block = DocumentedShell.shellBlock(DocumentedShell.fromRepositoryRoot(DOCUMENT));
		Path etcdctl = ServerBinary.ETCDCTL.resolve();
		this.environment = Map.of("ETCDCTL_ENDPOINTS", String.join(",", etcd.endpoints()), "PATH",
				etcdctl.getParent() + File.pathSeparator + System.getenv("PATH"));
		this.backend = EtcdBackend.builder().endpoints(etcd.endpoints()).build();
		this.client = new DiscoveryClient(this.backend);
	}

	@AfterEach
	void disconnect() {
		this.client.close();
		this.backend.close();
	}

	@Test
	void registeredInstanceIsChosenThenDrainedThenGone() throws Exception {
		try (DocumentedShell shell = new DocumentedShell(this.block, this.environment)) {
			shell.runThrough("lease keep-alive");
			awaitChosen();

			shell.runThrough("OUT_OF_SERVICE");
			Awaitility.await().atMost(PROPAGATION).untilAsserted(() -> {
				assertThat(this.client.getAllInstances("orders")).containsExactly(this.documented.withStatus(InstanceStatus.OUT_OF_SERVICE));
				assertThat(this.client.choose("orders")).isEmpty();
			});

			shell.runThrough("lease revoke");
			Awaitility.await().atMost(PROPAGATION).untilAsserted(() -> assertThat(this.client.getAllInstances("orders")).isEmpty());
			assertThat(shell.children()).as("the keep-alive, stopped by the example").isEmpty();
		}
	}

	@Test
	void instanceLeavesWithinTheTtlWhenItsKeepAliveStops() throws Exception {
		try (DocumentedShell shell = new DocumentedShell(this.block, this.environment)) {
			shell.runThrough("lease keep-alive");
			awaitChosen();

			assertThat(shell.children()).as("the keep-alive in the background").hasSize(1);
			for (ProcessHandle keepAlive : shell.children()) {
				keepAlive.destroyForcibly();
				keepAlive.onExit().join();
			}
			Awaitility.await()
				.atMost(documentedTtl().plus(EXPIRY_MARGIN))
				.untilAsserted(() -> assertThat(this.client.getAllInstances("orders")).isEmpty());
		}
	}

	private void awaitChosen() {
		Awaitility.await().atMost(PROPAGATION).untilAsserted(() -> assertThat(this.client.choose("orders")).contains(this.documented));
	}

	private Duration documentedTtl() {
		Matcher grant = Pattern.compile("lease grant (\\d+)").matcher(this.block);
		assertThat(grant.find()).as("a lease grant in the example").isTrue();
		return Duration.ofSeconds(Long.parseLong(grant.group(1)));
	}

}
