package dev.discovery.samples.client;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /spread?calls=30}: makes that many calls to greeting-service and shows which
 * instance answered each one and how they spread.
 */
@RestController
class SpreadController {

	private static final int MAX_CALLS = 1000;

	private final GreetingCalls calls;

	SpreadController(GreetingCalls calls) {
		this.calls = calls;
	}

	@GetMapping("/spread")
	Spread spread(@RequestParam(defaultValue = "30") int calls) {
		return this.calls.spread(Math.max(1, Math.min(calls, MAX_CALLS)));
	}

}
