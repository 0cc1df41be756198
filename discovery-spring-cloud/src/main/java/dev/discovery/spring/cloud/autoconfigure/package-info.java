/**
 * Auto-configuration of the Spring Cloud bridge.
 */
@NullMarked
package dev.discovery.spring.cloud.autoconfigure;

import org.jspecify.annotations.NullMarked;
