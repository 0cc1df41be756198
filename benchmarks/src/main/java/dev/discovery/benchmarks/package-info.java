/**
 * Measurements of the library against its anchors: JMH benchmarks of choosing an instance,
 * and end-to-end measurements of propagation, failure detection, scale and startup on real
 * etcd and Consul servers, gathered by {@link dev.discovery.benchmarks.BenchmarkSuite} into
 * one report.
 */
@NullMarked
package dev.discovery.benchmarks;

import org.jspecify.annotations.NullMarked;
