/**
 * Real etcd servers for the integration tests: single members and clusters whose members
 * can be killed, paused and restarted.
 */
@NullMarked
package dev.discovery.etcd.testserver;

import org.jspecify.annotations.NullMarked;
