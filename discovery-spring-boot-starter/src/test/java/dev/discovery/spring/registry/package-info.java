/**
 * The starter end to end against real etcd and Consul servers.
 */
package dev.discovery.spring.registry;
