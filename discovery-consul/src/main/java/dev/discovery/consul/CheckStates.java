package dev.discovery.consul;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;

/**
 * Groups the answer of {@code /v1/health/state/any} by service, so that two answers tell
 * which services changed: a service's group differs when one of its instances gained, lost
 * or changed a check (status or tags), or when a check of a node one of its instances runs
 * on changed. Check output and indexes are left out, so output that changes with every run
 * of a check does not count as a change. Instances without any check do not appear, and
 * edits that change no check (an instance's address, port or metadata alone) leave the
 * groups as they were.
 */
final class CheckStates {

	private CheckStates() {
	}

	/**
	 * Groups the checks.
	 * @param checks every check of the datacenter
	 * @return for each service (lower-case, as Consul compares names), the states of its
	 * instances' checks
	 */
	static Map<String, Set<InstanceCheck>> byService(List<ConsulJson.StateCheck> checks) {
		Map<String, Map<String, String>> nodeChecks = new HashMap<>();
		for (ConsulJson.StateCheck check : checks) {
			if (isNodeCheck(check)) {
				nodeChecks.computeIfAbsent(String.valueOf(check.node()), (node) -> new TreeMap<>())
					.put(String.valueOf(check.checkId()), String.valueOf(check.status()));
			}
		}
		Map<String, Set<InstanceCheck>> services = new HashMap<>();
		for (ConsulJson.StateCheck check : checks) {
			if (isNodeCheck(check)) {
				continue;
			}
			String node = String.valueOf(check.node());
			InstanceCheck state = new InstanceCheck(node, String.valueOf(check.checkId()),
					Objects.requireNonNull(check.serviceId()), String.valueOf(check.status()),
					(check.serviceTags() != null) ? check.serviceTags() : List.of(),
					nodeChecks.getOrDefault(node, Map.of()));
			services.computeIfAbsent(serviceName(check), (name) -> new HashSet<>()).add(state);
		}
		return services;
	}

	private static boolean isNodeCheck(ConsulJson.StateCheck check) {
		return check.serviceId() == null || check.serviceId().isEmpty();
	}

	private static String serviceName(ConsulJson.StateCheck check) {
		return String.valueOf(check.serviceName()).toLowerCase(Locale.ROOT);
	}

	/**
	 * What counts of one check of an instance.
	 * @param node the node the instance runs on
	 * @param checkId the check
	 * @param serviceId the instance
	 * @param status passing, warning, critical or maintenance
	 * @param tags the instance's tags as the check carries them
	 * @param nodeChecks the status of each check of the node, by check id
	 */
	record InstanceCheck(String node, String checkId, String serviceId, String status, List<String> tags,
			Map<String, String> nodeChecks) {
	}

	/**
	 * Tells whether a service's group differs between two answers.
	 * @param service the service (lower-case)
	 * @param before the earlier answer, grouped
	 * @param now the later answer, grouped
	 * @return whether the service changed
	 */
	static boolean changed(String service, Map<String, Set<InstanceCheck>> before,
			Map<String, Set<InstanceCheck>> now) {
		@Nullable Set<InstanceCheck> earlier = before.get(service);
		return !Objects.equals(earlier, now.get(service));
	}

}
