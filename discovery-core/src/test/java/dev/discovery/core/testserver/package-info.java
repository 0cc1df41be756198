/**
 * Support for integration tests that run real registry servers: finding their binaries and
 * free loopback ports.
 */
package dev.discovery.core.testserver;
