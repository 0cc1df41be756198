package dev.discovery.spring.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports an {@link InvalidDiscoveryPropertyException} at startup as the property to fix and
 * what to set, instead of a stack trace.
 */
class DiscoveryFailureAnalyzer extends AbstractFailureAnalyzer<InvalidDiscoveryPropertyException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidDiscoveryPropertyException cause) {
		return new FailureAnalysis("Service discovery is misconfigured. " + cause.getMessage(), cause.getAction(), cause);
	}

}
