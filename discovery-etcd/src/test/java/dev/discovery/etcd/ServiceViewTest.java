package dev.discovery.etcd;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.discovery.core.InstanceStatus;
import dev.discovery.core.ServiceInstance;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ServiceViewTest {

	private static final Duration GRACE = Duration.ofMillis(300);

	private static final String PREFIX = "/discovery/services/grace/";

	private final ServiceInstance a = instance("a", 8001);

	private final ServiceInstance b = instance("b", 8002);

	private final ServiceInstance c = instance("c", 8003);

	private final ServiceView view = new ServiceView(PREFIX, GRACE);

	@Test
	void withoutAnOutageEveryChangeAppliesAtOnce() {
		this.view.replace(Map.of(key("a"), this.a, key("b"), this.b), false);
		this.view.deleted(key("a"));
		assertThat(this.view.instances()).containsExactly(this.b);

		this.view.replace(Map.of(key("c"), this.c), false);
		assertThat(this.view.instances()).containsExactly(this.c);
		assertThat(this.view.endGraceIfDue()).isFalse();
	}

	@Test
	void handsOutOneListUntilTheViewChangesAndNeverEditsIt() {
		this.view.replace(Map.of(key("a"), this.a), false);
		List<ServiceInstance> first = this.view.instances();
		assertThat(this.view.instances()).as("unchanged: the same list, so that it is held once").isSameAs(first);
		this.view.put(this.a);
		assertThat(this.view.instances()).as("written again as it was: still the same list").isSameAs(first);

		this.view.put(this.b);
		this.view.deleted(key("a"));
		assertThat(this.view.instances()).containsExactly(this.b);
		assertThat(first).as("a list handed out stays as it was").containsExactly(this.a);
	}

	@Test
	void afterAnOutageInstancesThatDisappearStayUntilTheGraceEndsUnlessWrittenAgain() {
		this.view.replace(Map.of(key("a"), this.a, key("b"), this.b, key("c"), this.c), false);

		this.view.replace(Map.of(key("c"), this.c), true);
		assertThat(this.view.instances()).as("a and b expired with the outage").containsExactly(this.a, this.b, this.c);
		this.view.deleted(key("c"));
		ServiceInstance aAgain = this.a.withStatus(InstanceStatus.OUT_OF_SERVICE);
		this.view.put(aAgain);
		assertThat(this.view.instances()).containsExactly(aAgain, this.b, this.c);
		assertThat(this.view.endGraceIfDue()).as("grace not over yet").isFalse();

		Awaitility.await().atMost(Duration.ofSeconds(5)).until(this.view::endGraceIfDue);
		assertThat(this.view.instances()).as("only what was written again").containsExactly(aAgain);
		this.view.deleted(key("a"));
		assertThat(this.view.instances()).as("after the grace, deletions apply at once").isEmpty();
	}

	@Test
	void aKeyWhoseNewValueIsNoInstanceLeavesAtOnceEvenDuringTheGrace() {
		this.view.replace(Map.of(key("a"), this.a, key("b"), this.b), false);
		this.view.replace(Map.of(key("a"), this.a, key("b"), this.b), true);

		this.view.discard(key("a"));
		assertThat(this.view.instances()).containsExactly(this.b);
	}

	@Test
	void writesKeepTheInstancesInKeyOrderAndReplaceTheSameId() {
		this.view.put(this.c);
		this.view.put(this.a);
		this.view.put(this.b);
		ServiceInstance bAgain = this.b.withStatus(InstanceStatus.DOWN);

		this.view.put(bAgain);

		assertThat(this.view.instances()).containsExactly(this.a, bAgain, this.c);
	}

	@Test
	void keysOfAnotherFormNeverRemoveAnInstance() {
		this.view.replace(Map.of(key("a"), this.a, key("b"), this.b), false);

		this.view.deleted(PREFIX + "nested/a");
		this.view.discard("/discovery/services/other/b");

		assertThat(this.view.instances()).containsExactly(this.a, this.b);
	}

	private static String key(String id) {
		return PREFIX + id;
	}

	private static ServiceInstance instance(String id, int port) {
		return ServiceInstance.builder("grace", "127.0.0.1", port).id(id).build();
	}

}
