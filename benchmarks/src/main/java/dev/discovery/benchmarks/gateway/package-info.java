/**
 * The Spring Cloud Gateway application of the gateway measurement, run in its own JVM.
 */
@NullMarked
package dev.discovery.benchmarks.gateway;

import org.jspecify.annotations.NullMarked;
