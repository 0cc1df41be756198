package dev.discovery.consul.testserver;

import java.time.Duration;

import dev.discovery.consul.ConsulBackend;
import org.awaitility.Awaitility;

/**
 * Waits for a backend to come to rest, where its blocking queries wait for minutes: over
 * https its watches first follow the change detector, then each reads its service once on a
 * stream of its own before its blocking query, after the lookups have returned.
 */
public final class AtRest {

	private AtRest() {
	}

	/**
	 * Waits, up to 30 s, until the backend made no request to its agent for 300 ms.
	 * @param backend the backend
	 */
	public static void await(ConsulBackend backend) {
		long[] last = { -1 };
		Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).until(() -> {
			long now = requests(backend);
			boolean still = now == last[0];
			last[0] = now;
			return still;
		});
	}

	/**
	 * Returns how many requests the backend made to its agent since it started.
	 * @param backend the backend
	 * @return the count from its health details
	 */
	public static long requests(ConsulBackend backend) {
		return (Long) backend.health().details().get("requests");
	}

}
