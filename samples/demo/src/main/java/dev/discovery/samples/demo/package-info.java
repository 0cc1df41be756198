/**
 * The demo: three greeting-service instances and the greeting client in one JVM on the
 * in-memory registry, with a drain, a kill and a restart, shown as a timeline.
 */
@NullMarked
package dev.discovery.samples.demo;

import org.jspecify.annotations.NullMarked;
