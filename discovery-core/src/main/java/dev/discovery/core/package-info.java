/**
 * The backend-neutral model of service discovery: instances, the backend SPI, the client
 * applications use, and the load-balancing strategies. Nothing here depends on Spring.
 */
@NullMarked
package dev.discovery.core;

import org.jspecify.annotations.NullMarked;
