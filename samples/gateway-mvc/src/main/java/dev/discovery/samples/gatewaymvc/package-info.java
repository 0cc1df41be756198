/**
 * The servlet gateway sample: Spring Cloud Gateway Server Web MVC routing to
 * greeting-service by name through the Spring Cloud bridge.
 */
@NullMarked
package dev.discovery.samples.gatewaymvc;

import org.jspecify.annotations.NullMarked;
