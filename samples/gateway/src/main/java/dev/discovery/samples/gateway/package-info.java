/**
 * The gateway sample: Spring Cloud Gateway Server WebFlux routing to greeting-service by
 * name through the Spring Cloud bridge.
 */
@NullMarked
package dev.discovery.samples.gateway;

import org.jspecify.annotations.NullMarked;
