package dev.discovery.consul;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class CheckStatesTest {

	private static final String NODE = nodeCheck("n1", "passing");

	private static final String ORDERS = check("n1", "orders-1", "Orders", "passing", "[\"v1\"]");

	private static final String USERS = check("n2", "users-1", "users", "passing", "[]");

	private final Map<String, Long> before = fingerprints(NODE, ORDERS, USERS);

	@Test
	void groupsByLowerCaseServiceAndLeavesNodeChecksOutOfTheNames() {
		assertThat(this.before).containsOnlyKeys("orders", "users");
	}

	@Test
	void anAnswerThatDiffersOnlyInOutputIndexesAndOrderChangesNothing() {
		String orders = ORDERS.replace("\"Output\":\"\"", "\"Output\":\"HTTP GET took 3 ms\"")
			.replace("\"ModifyIndex\":10", "\"ModifyIndex\":99");
		assertThat(changedServices(fingerprints(USERS, NODE, orders))).isEmpty();
	}

	@Test
	void aStatusChangeChangesOnlyItsService() {
		assertThat(changedServices(fingerprints(NODE, check("n1", "orders-1", "orders", "critical", "[\"v1\"]"), USERS)))
			.containsExactly("orders");
	}

	@Test
	void aNewInstanceARemovedInstanceAndNewTagsEachChangeTheirService() {
		String second = check("n2", "orders-2", "orders", "passing", "[]");
		assertThat(changedServices(fingerprints(NODE, ORDERS, second, USERS))).containsExactly("orders");
		assertThat(changedServices(fingerprints(NODE, ORDERS))).containsExactly("users");
		assertThat(changedServices(fingerprints(NODE, check("n1", "orders-1", "orders", "passing", "[\"v2\"]"), USERS)))
			.containsExactly("orders");
		assertThat(changedServices(fingerprints(NODE, check("n1", "orders-1", "orders", "passing", "[\"v\",\"1\"]"),
				USERS)))
			.containsExactly("orders");
	}

	@Test
	void aNodeCheckChangeChangesTheServicesOnThatNodeOnly() {
		assertThat(changedServices(fingerprints(nodeCheck("n1", "critical"), ORDERS, USERS)))
			.containsExactly("orders");
	}

	@Test
	void twoInstancesSwappingTheirStatusesChangeTheirService() {
		String first = check("n1", "orders-1", "orders", "passing", "[]");
		String second = check("n1", "orders-2", "orders", "critical", "[]");
		Map<String, Long> earlier = fingerprints(NODE, first, second);
		Map<String, Long> swapped = fingerprints(NODE, first.replace("passing", "critical"),
				second.replace("critical", "passing"));
		assertThat(CheckStates.changed("orders", earlier, swapped)).isTrue();
	}

	@Test
	void anAnswerThatIsNotAnArrayOfChecksIsRefused() {
		assertThatExceptionOfType(JacksonException.class).isThrownBy(() -> CheckRow.readAll("{\"a\":1}"))
			.withMessageContaining("not an array of checks");
	}

	@Test
	void anAnswerCutShortIsRefused() {
		String answer = "[" + NODE + "," + ORDERS;
		assertThatExceptionOfType(JacksonException.class)
			.isThrownBy(() -> CheckRow.readAll(answer.substring(0, answer.length() - 20)));
	}

	@Test
	void nullFieldsReadAsEmptyAndNestedValuesAreSkipped() {
		String check = "{\"Node\":\"n1\",\"CheckID\":\"service:orders-1\",\"Status\":\"passing\",\"ServiceID\":"
				+ "\"orders-1\",\"ServiceName\":\"orders\",\"ServiceTags\":null,\"Notes\":null,\"Definition\":"
				+ "{\"Header\":{\"Accept\":[\"a\",\"b\"]},\"Body\":[{\"ServiceName\":\"other\"}]}}";
		CheckRow row = CheckRow.readAll("[" + check + "]").get(0);
		assertThat(row.serviceName()).isEqualTo("orders");
		assertThat(row.tags()).isEmpty();
		assertThat(fingerprints(NODE, check)).containsOnlyKeys("orders");
	}

	private List<String> changedServices(Map<String, Long> now) {
		return List.of("orders", "users", "absent")
			.stream()
			.filter((service) -> CheckStates.changed(service, this.before, now))
			.toList();
	}

	private static Map<String, Long> fingerprints(String... checks) {
		return CheckStates.fingerprints(CheckRow.readAll("[" + String.join(",", checks) + "]"));
	}

	private static String nodeCheck(String node, String status) {
		return "{\"Node\":\"" + node + "\",\"CheckID\":\"serfHealth\",\"Name\":\"Serf Health Status\",\"Status\":\""
				+ status + "\",\"Notes\":\"\",\"Output\":\"Agent alive and reachable\",\"ServiceID\":\"\","
				+ "\"ServiceName\":\"\",\"ServiceTags\":[],\"Type\":\"\",\"Definition\":{},\"CreateIndex\":5,"
				+ "\"ModifyIndex\":5}";
	}

	private static String check(String node, String serviceId, String service, String status, String tags) {
		return "{\"Node\":\"" + node + "\",\"CheckID\":\"service:" + serviceId + "\",\"Name\":\"alive\",\"Status\":\""
				+ status + "\",\"Notes\":\"\",\"Output\":\"\",\"ServiceID\":\"" + serviceId + "\",\"ServiceName\":\""
				+ service + "\",\"ServiceTags\":" + tags + ",\"Type\":\"ttl\",\"Definition\":{\"Interval\":\"0s\"},"
				+ "\"CreateIndex\":10,\"ModifyIndex\":10}";
	}

}
