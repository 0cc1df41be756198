/**
 * Support for integration tests that run real registry servers: finding their binaries and
 * free loopback ports, and a proxy that makes them slow or silent.
 */
package dev.discovery.core.testserver;
