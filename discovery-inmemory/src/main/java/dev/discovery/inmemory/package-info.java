/**
 * The in-process registry backend: registrations with a TTL, renewed while open, and
 * watches. The default when no registry server is configured.
 */
@NullMarked
package dev.discovery.inmemory;

import org.jspecify.annotations.NullMarked;
