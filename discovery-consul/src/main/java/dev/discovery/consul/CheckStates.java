package dev.discovery.consul;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Reduces an answer of {@code /v1/health/state/any} to one 64-bit fingerprint per service, so
 * that two answers tell which services changed: a service's fingerprint differs when one of
 * its instances gained, lost or changed a check (status or tags), or when a check of a node
 * one of its instances runs on changed. Check output and indexes are left out, so output that
 * changes with every run of a check does not count as a change, and neither does the order
 * of the answer. Instances without any check do not appear, and edits that change no check
 * (an instance's address, port or metadata alone) leave the fingerprints as they were.
 * <p>
 * A fingerprint is a sum of one hash per check, so it costs no allocation per check and does
 * not depend on the order. Two different states of a service share a fingerprint with a
 * probability of about 2<sup>-64</sup>.
 */
final class CheckStates {

	private static final long FNV_OFFSET = 0xcbf29ce484222325L;

	private static final long FNV_PRIME = 0x100000001b3L;

	private CheckStates() {
	}

	/**
	 * Tells whether a service's fingerprint differs between two answers.
	 * @param service the service (lower-case)
	 * @param before the earlier answer's fingerprints
	 * @param now the later answer's fingerprints
	 * @return whether the service changed
	 */
	static boolean changed(String service, Map<String, Long> before, Map<String, Long> now) {
		return !Objects.equals(before.get(service), now.get(service));
	}

	/**
	 * Fingerprints the checks of an answer.
	 * @param checks every check of the datacenter
	 * @return for each service (lower-case, as Consul compares names), the fingerprint of its
	 * instances' checks
	 */
	static Map<String, Long> fingerprints(List<CheckRow> checks) {
		Map<String, Long> nodes = new HashMap<>();
		for (CheckRow check : checks) {
			if (check.isNodeCheck()) {
				nodes.merge(check.node(), hash(check.node(), check.checkId(), check.status()), Long::sum);
			}
		}
		Map<String, Long> services = new HashMap<>();
		for (CheckRow check : checks) {
			if (!check.isNodeCheck()) {
				long state = hash(check.node(), check.checkId(), check.serviceId(), check.status(), check.tags())
						+ 31 * nodes.getOrDefault(check.node(), 0L);
				services.merge(check.serviceName().toLowerCase(Locale.ROOT), mix(state), Long::sum);
			}
		}
		return services;
	}

	private static long hash(String... fields) {
		long hash = FNV_OFFSET;
		for (String field : fields) {
			for (int i = 0; i < field.length(); i++) {
				hash = (hash ^ field.charAt(i)) * FNV_PRIME;
			}
			hash = (hash ^ 0xffff) * FNV_PRIME;
		}
		return mix(hash);
	}

	/** Spreads every input bit over the result (the finaliser of MurmurHash3). */
	private static long mix(long value) {
		long mixed = (value ^ (value >>> 33)) * 0xff51afd7ed558ccdL;
		mixed = (mixed ^ (mixed >>> 33)) * 0xc4ceb9fe1a85ec53L;
		return mixed ^ (mixed >>> 33);
	}

}
