/**
 * The greeting server: Spring gRPC's server, registered by the starter on its port.
 */
@NullMarked
package dev.discovery.samples.grpc.server;

import org.jspecify.annotations.NullMarked;
