/**
 * Spring integration of service discovery: self-registration, per-service load balancers,
 * the load-balanced {@code RestClient} and {@code WebClient}, and the actuator health
 * indicator and endpoint.
 */
@NullMarked
package dev.discovery.spring;

import org.jspecify.annotations.NullMarked;
