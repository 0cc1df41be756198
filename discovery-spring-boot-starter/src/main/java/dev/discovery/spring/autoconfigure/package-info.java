/**
 * Auto-configuration of service discovery for Spring Boot.
 */
@NullMarked
package dev.discovery.spring.autoconfigure;

import org.jspecify.annotations.NullMarked;
