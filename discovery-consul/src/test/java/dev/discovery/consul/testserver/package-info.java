/**
 * A real Consul agent for integration tests, shared with other modules through this
 * module's test-jar.
 */
@NullMarked
package dev.discovery.consul.testserver;

import org.jspecify.annotations.NullMarked;
