package dev.discovery.core;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToLongFunction;

/**
 * A discrete-event run of tracked calls against one service on a simulated clock: calls
 * arrive at a fixed interval and each ends after its instance's latency, so strategies see
 * real in-flight counts and latencies without any real waiting.
 */
final class CallSimulation {

	private final AtomicLong clock = new AtomicLong();

	private final ServiceBalancer balancer;

	CallSimulation(LoadBalancer strategy, List<ServiceInstance> instances) {
		List<ServiceInstance> up = List.copyOf(instances);
		this.balancer = new ServiceBalancer(BalancingPolicy.builder(strategy).build(), () -> up, this.clock::get);
	}

	/**
	 * Runs the calls.
	 * @param calls how many calls arrive
	 * @param intervalNanos the time between two arrivals
	 * @param latencyNanos the latency of a call to an instance
	 * @return the calls each instance (by id) received
	 */
	Map<String, Integer> run(int calls, long intervalNanos, ToLongFunction<ServiceInstance> latencyNanos) {
		Map<String, Integer> received = new HashMap<>();
		PriorityQueue<Ending> endings = new PriorityQueue<>();
		for (int i = 0; i < calls; i++) {
			long arrival = i * intervalNanos;
			while (!endings.isEmpty() && endings.peek().at() <= arrival) {
				Ending ending = endings.poll();
				this.clock.set(ending.at());
				ending.call().succeeded();
			}
			this.clock.set(arrival);
			ServiceCall call = this.balancer.start(null);
			received.merge(call.instance().id(), 1, Integer::sum);
			endings.add(new Ending(arrival + latencyNanos.applyAsLong(call.instance()), i, call));
		}
		return received;
	}

	private record Ending(long at, int order, ServiceCall call) implements Comparable<Ending> {

		@Override
		public int compareTo(Ending other) {
			int byTime = Long.compare(this.at, other.at);
			return (byTime != 0) ? byTime : Integer.compare(this.order, other.order);
		}

	}

}
