/**
 * The backend contract suite that every {@code DiscoveryBackend} runs.
 */
package dev.discovery.core.contract;
