/**
 * Testcontainers support: {@code @ServiceConnection} on Testcontainers' {@code ConsulContainer}
 * or on an {@link dev.discovery.spring.testcontainers.EtcdContainer} supplies the
 * {@link dev.discovery.spring.autoconfigure.ConsulConnectionDetails} or
 * {@link dev.discovery.spring.autoconfigure.EtcdConnectionDetails} of a test's application.
 * Active only where {@code spring-boot-testcontainers} and Testcontainers are on the class
 * path.
 */
@NullMarked
package dev.discovery.spring.testcontainers;

import org.jspecify.annotations.NullMarked;
