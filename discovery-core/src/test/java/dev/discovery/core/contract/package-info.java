/**
 * The contract suites that every {@code DiscoveryBackend} runs: what it does, and how it
 * behaves when its registry is slow or silent.
 */
package dev.discovery.core.contract;
