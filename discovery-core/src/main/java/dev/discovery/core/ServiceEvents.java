package dev.discovery.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Computes the {@link ServiceEvent}s that turn one snapshot of a service into the next.
 */
final class ServiceEvents {

	private ServiceEvents() {
	}

	/**
	 * Lists the changes from one snapshot to the next: arrivals and changes in the order of
	 * the new snapshot, then departures in the order of the old one.
	 * @param before the earlier snapshot
	 * @param after the later snapshot
	 * @return the events, empty when nothing changed
	 */
	static List<ServiceEvent> between(List<ServiceInstance> before, List<ServiceInstance> after) {
		Map<String, ServiceInstance> remaining = new LinkedHashMap<>();
		for (ServiceInstance instance : before) {
			remaining.put(instance.id(), instance);
		}
		List<ServiceEvent> events = new ArrayList<>();
		for (ServiceInstance current : after) {
			ServiceInstance previous = remaining.remove(current.id());
			if (previous == null) {
				events.add(new ServiceEvent(ServiceEvent.Type.REGISTERED, null, current));
			}
			else if (!previous.equals(current)) {
				boolean onlyStatus = previous.withStatus(current.status()).equals(current);
				events.add(new ServiceEvent(onlyStatus ? ServiceEvent.Type.STATUS_CHANGED : ServiceEvent.Type.UPDATED,
						previous, current));
			}
		}
		for (ServiceInstance previous : remaining.values()) {
			events.add(new ServiceEvent(ServiceEvent.Type.DEREGISTERED, previous, null));
		}
		return events;
	}

}
