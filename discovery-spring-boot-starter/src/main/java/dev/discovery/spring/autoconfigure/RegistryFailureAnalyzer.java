package dev.discovery.spring.autoconfigure;

import dev.discovery.core.DiscoveryException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports a {@link DiscoveryException} that stopped startup, such as a registration that the
 * registry refused or did not answer, with the registry's message, which says what failed
 * and names the setting to fix, instead of a stack trace.
 */
class RegistryFailureAnalyzer extends AbstractFailureAnalyzer<DiscoveryException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, DiscoveryException cause) {
		return new FailureAnalysis("Service discovery could not complete a request to the registry: " + cause.getMessage(),
				"Fix the discovery.* property that the message names, or make the registry reachable at the configured"
						+ " address.",
				cause);
	}

}
