package dev.discovery.consul;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CheckStatesTest {

	private static final ConsulJson.StateCheck NODE = new ConsulJson.StateCheck("n1", "serfHealth", "passing", "", "",
			List.of());

	private static final ConsulJson.StateCheck ORDERS = check("n1", "orders-1", "Orders", "passing", List.of("v1"));

	private static final ConsulJson.StateCheck USERS = check("n2", "users-1", "users", "passing", List.of());

	private final Map<String, Set<CheckStates.InstanceCheck>> before = CheckStates.byService(List.of(NODE, ORDERS, USERS));

	@Test
	void groupsByLowerCaseServiceAndLeavesNodeChecksOutOfTheNames() {
		assertThat(this.before).containsOnlyKeys("orders", "users");
	}

	@Test
	void anAnswerThatDiffersOnlyInOutputAndOrderChangesNothing() {
		List<ConsulJson.StateCheck> reordered = new ArrayList<>(List.of(USERS, NODE, ORDERS));
		assertThat(changedServices(CheckStates.byService(reordered))).isEmpty();
	}

	@Test
	void aStatusChangeChangesOnlyItsService() {
		assertThat(changedServices(CheckStates.byService(
				List.of(NODE, check("n1", "orders-1", "orders", "critical", List.of("v1")), USERS))))
			.containsExactly("orders");
	}

	@Test
	void aNewInstanceARemovedInstanceAndNewTagsEachChangeTheirService() {
		ConsulJson.StateCheck second = check("n2", "orders-2", "orders", "passing", List.of());
		assertThat(changedServices(CheckStates.byService(List.of(NODE, ORDERS, second, USERS))))
			.containsExactly("orders");
		assertThat(changedServices(CheckStates.byService(List.of(NODE, ORDERS)))).containsExactly("users");
		assertThat(changedServices(CheckStates.byService(
				List.of(NODE, check("n1", "orders-1", "orders", "passing", List.of("v2")), USERS))))
			.containsExactly("orders");
	}

	@Test
	void aNodeCheckChangeChangesTheServicesOnThatNodeOnly() {
		ConsulJson.StateCheck failing = new ConsulJson.StateCheck("n1", "serfHealth", "critical", null, null, null);
		assertThat(changedServices(CheckStates.byService(List.of(failing, ORDERS, USERS)))).containsExactly("orders");
	}

	private List<String> changedServices(Map<String, Set<CheckStates.InstanceCheck>> now) {
		return List.of("orders", "users", "absent")
			.stream()
			.filter((service) -> CheckStates.changed(service, this.before, now))
			.toList();
	}

	private static ConsulJson.StateCheck check(String node, String serviceId, String service, String status,
			List<String> tags) {
		return new ConsulJson.StateCheck(node, "service:" + serviceId, status, serviceId, service, tags);
	}

}
