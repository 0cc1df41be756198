/**
 * Tests of the Consul backend, against a real agent started by {@link dev.discovery.consul.testserver.ConsulAgentExtension}.
 */
@NullMarked
package dev.discovery.consul;

import org.jspecify.annotations.NullMarked;
