/**
 * The etcd backend: registrations under one lease per backend kept alive with KeepAlive,
 * discovery by prefix read plus watch, recovery from lost leases, closed watches and
 * outages.
 */
@NullMarked
package dev.discovery.etcd;

import org.jspecify.annotations.NullMarked;
