package dev.discovery.consul;

import java.util.List;

import dev.discovery.consul.ConsulBackend.CheckType;
import dev.discovery.core.InstanceStatus;
import org.jspecify.annotations.Nullable;

/**
 * Maps {@link InstanceStatus} to Consul's check states and maintenance mode, and back.
 * <p>
 * Writing: with a TTL check, UP passes it, DOWN fails it, and STARTING and OUT_OF_SERVICE
 * pass it and turn maintenance mode on, whose reason records the status. Maintenance mode
 * is a critical check, so an instance that is not ready yet or is drained is left out of
 * Consul DNS and {@code ?passing} answers, as it is out of our clients' choices. An HTTP check is Consul's to run,
 * so with one every status but UP is written as maintenance mode, whose reason records the
 * status. Reading: maintenance mode gives the status its reason records (OUT_OF_SERVICE
 * when an operator set it), otherwise a critical check gives DOWN, a warning STARTING, and
 * all passing UP. Node checks count too, so an instance on a failed node is DOWN.
 */
final class StatusMapping {

	private static final String SERVICE_MAINTENANCE_CHECK = "_service_maintenance:";

	private static final String NODE_MAINTENANCE_CHECK = "_node_maintenance";

	private static final String REASON_PREFIX = "discovery status ";

	/** The update that keeps a TTL check in the state of a status. */
	enum TtlUpdate {

		PASS, FAIL

	}

	private StatusMapping() {
	}

	static TtlUpdate ttlUpdate(InstanceStatus status) {
		return switch (status) {
			case UP, STARTING, OUT_OF_SERVICE -> TtlUpdate.PASS;
			case DOWN -> TtlUpdate.FAIL;
		};
	}

	/**
	 * The state a new TTL check starts in: passing only for UP, so that nobody sees an
	 * instance passing before maintenance mode is on.
	 */
	static String initialTtlCheckStatus(InstanceStatus status) {
		return (status == InstanceStatus.UP) ? "passing" : "critical";
	}

	static boolean inMaintenance(CheckType checkType, InstanceStatus status) {
		return (checkType == CheckType.TTL) ? status == InstanceStatus.STARTING || status == InstanceStatus.OUT_OF_SERVICE
				: status != InstanceStatus.UP;
	}

	static String maintenanceReason(InstanceStatus status) {
		return REASON_PREFIX + status.name();
	}

	static InstanceStatus fromChecks(String serviceId, List<ConsulJson.Check> checks) {
		boolean warning = false;
		boolean critical = false;
		for (ConsulJson.Check check : checks) {
			String checkId = String.valueOf(check.checkId());
			if (checkId.equals(SERVICE_MAINTENANCE_CHECK + serviceId) || checkId.equals(NODE_MAINTENANCE_CHECK)) {
				return statusFromReason(check.notes());
			}
			critical |= "critical".equals(check.status());
			warning |= "warning".equals(check.status());
		}
		if (critical) {
			return InstanceStatus.DOWN;
		}
		return warning ? InstanceStatus.STARTING : InstanceStatus.UP;
	}

	private static InstanceStatus statusFromReason(@Nullable String notes) {
		if (notes != null && notes.startsWith(REASON_PREFIX)) {
			for (InstanceStatus status : InstanceStatus.values()) {
				if (status.name().equals(notes.substring(REASON_PREFIX.length()))) {
					return status;
				}
			}
		}
		return InstanceStatus.OUT_OF_SERVICE;
	}

}
