/**
 * The gRPC greeting sample: a server application that serves gRPC only and registers its
 * gRPC port, and a client application whose Spring gRPC channel targets
 * {@code discovery:///grpc-greeting}.
 */
@NullMarked
package dev.discovery.samples.grpc;

import org.jspecify.annotations.NullMarked;
