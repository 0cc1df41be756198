/**
 * Support for integration tests that run real registry servers: finding their binaries and
 * free loopback ports, a proxy that makes them slow or silent, and a Docker engine for
 * the Testcontainers tests where none is reachable.
 */
package dev.discovery.core.testserver;
