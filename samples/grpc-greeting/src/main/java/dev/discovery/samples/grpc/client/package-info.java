/**
 * The greeting client: a Spring gRPC channel to {@code discovery:///grpc-greeting}.
 */
@NullMarked
package dev.discovery.samples.grpc.client;

import org.jspecify.annotations.NullMarked;
