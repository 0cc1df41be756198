package dev.discovery.samples.client;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.discovery.core.ServiceInstance;

/**
 * A series of calls: who answered each, how many each instance answered, and the instances
 * the client knew afterwards.
 *
 * @param calls how many calls were made
 * @param failed how many of them failed
 * @param answeredBy calls answered per instance id
 * @param answers the outcome of each call, in order
 * @param instances every known instance of greeting-service, with its status
 */
public record Spread(int calls, int failed, Map<String, Integer> answeredBy, List<Answer> answers,
		List<ServiceInstance> instances) {

	/**
	 * Summarises answers.
	 * @param answers the outcome of each call
	 * @param instances the instances known afterwards
	 * @return the spread
	 */
	public static Spread of(List<Answer> answers, List<ServiceInstance> instances) {
		Map<String, Integer> answeredBy = new TreeMap<>();
		int failed = 0;
		for (Answer answer : answers) {
			if (answer.instance() != null) {
				answeredBy.merge(answer.instance(), 1, Integer::sum);
			}
			else {
				failed++;
			}
		}
		return new Spread(answers.size(), failed, answeredBy, answers, instances);
	}

}
