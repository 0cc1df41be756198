/**
 * The etcd backend: registrations under one lease per backend, renewed with KeepAlive
 * requests that each may go to any member; discovery by prefix read plus watch, with bursts
 * of first lookups answered from one paged read of the namespace; recovery from lost leases,
 * closed or silent watches, frozen members and outages.
 */
@NullMarked
package dev.discovery.etcd;

import org.jspecify.annotations.NullMarked;
