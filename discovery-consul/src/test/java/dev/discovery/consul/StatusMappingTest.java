package dev.discovery.consul;

import java.util.List;

import dev.discovery.consul.ConsulBackend.CheckType;
import dev.discovery.consul.StatusMapping.TtlUpdate;
import dev.discovery.core.InstanceStatus;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StatusMappingTest {

	@Test
	void checksReadBackAsTheWorstState() {
		assertThat(read(check("serfHealth", "passing"), check("service:a", "passing"))).isEqualTo(InstanceStatus.UP);
		assertThat(read(check("serfHealth", "passing"), check("service:a", "warning"))).isEqualTo(InstanceStatus.STARTING);
		assertThat(read(check("serfHealth", "critical"), check("service:a", "warning"))).isEqualTo(InstanceStatus.DOWN);
		assertThat(read()).isEqualTo(InstanceStatus.UP);
	}

	@Test
	void maintenanceModeWinsAndKeepsTheStatusItsReasonRecords() {
		ConsulJson.Check operator = new ConsulJson.Check("_service_maintenance:a", "critical", "deploying");
		ConsulJson.Check ours = new ConsulJson.Check("_service_maintenance:a", "critical",
				StatusMapping.maintenanceReason(InstanceStatus.STARTING));
		ConsulJson.Check node = new ConsulJson.Check("_node_maintenance", "critical", null);
		ConsulJson.Check otherInstance = new ConsulJson.Check("_service_maintenance:b", "critical", "x");

		assertThat(read(operator, check("service:a", "passing"))).isEqualTo(InstanceStatus.OUT_OF_SERVICE);
		assertThat(read(ours)).isEqualTo(InstanceStatus.STARTING);
		assertThat(read(node)).isEqualTo(InstanceStatus.OUT_OF_SERVICE);
		assertThat(read(otherInstance)).isEqualTo(InstanceStatus.DOWN);
	}

	@Test
	void startingAndOutOfServiceAreMaintenanceSoThatConsulDnsLeavesThemOut() {
		assertThat(StatusMapping.ttlUpdate(InstanceStatus.UP)).isEqualTo(TtlUpdate.PASS);
		assertThat(StatusMapping.ttlUpdate(InstanceStatus.STARTING)).isEqualTo(TtlUpdate.PASS);
		assertThat(StatusMapping.ttlUpdate(InstanceStatus.DOWN)).isEqualTo(TtlUpdate.FAIL);
		assertThat(StatusMapping.ttlUpdate(InstanceStatus.OUT_OF_SERVICE)).isEqualTo(TtlUpdate.PASS);
		assertThat(StatusMapping.initialTtlCheckStatus(InstanceStatus.OUT_OF_SERVICE)).isEqualTo("critical");
		assertThat(StatusMapping.initialTtlCheckStatus(InstanceStatus.STARTING)).isEqualTo("critical");
		assertThat(StatusMapping.initialTtlCheckStatus(InstanceStatus.UP)).isEqualTo("passing");
		assertThat(StatusMapping.inMaintenance(CheckType.TTL, InstanceStatus.STARTING)).isTrue();
		assertThat(StatusMapping.inMaintenance(CheckType.TTL, InstanceStatus.DOWN)).isFalse();
		assertThat(StatusMapping.inMaintenance(CheckType.TTL, InstanceStatus.OUT_OF_SERVICE)).isTrue();
		assertThat(StatusMapping.inMaintenance(CheckType.HTTP, InstanceStatus.DOWN)).isTrue();
		assertThat(StatusMapping.inMaintenance(CheckType.HTTP, InstanceStatus.UP)).isFalse();
	}

	private static InstanceStatus read(ConsulJson.Check... checks) {
		return StatusMapping.fromChecks("a", List.of(checks));
	}

	private static ConsulJson.Check check(String id, String status) {
		return new ConsulJson.Check(id, status, null);
	}

}
