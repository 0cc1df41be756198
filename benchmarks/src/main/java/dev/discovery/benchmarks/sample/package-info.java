/**
 * The sample application of the startup measurement, in its own package so that its
 * component scan covers nothing else.
 */
@NullMarked
package dev.discovery.benchmarks.sample;

import org.jspecify.annotations.NullMarked;
