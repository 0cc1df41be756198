/**
 * The greeting client: calls greeting-service by name through the load-balanced
 * {@code RestClient} and uses {@code DiscoveryClient} to show the instances it knows.
 */
@NullMarked
package dev.discovery.samples.client;

import org.jspecify.annotations.NullMarked;
