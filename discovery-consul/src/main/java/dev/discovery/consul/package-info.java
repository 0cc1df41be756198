/**
 * The Consul backend: agent service registration with a TTL or HTTP check, and discovery
 * through blocking queries on the health endpoint. Built on consul-api, whose types never
 * leave this package.
 */
@NullMarked
package dev.discovery.consul;

import org.jspecify.annotations.NullMarked;
