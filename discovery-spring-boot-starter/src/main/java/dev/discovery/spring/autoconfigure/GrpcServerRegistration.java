package dev.discovery.spring.autoconfigure;

import java.util.Map;

import dev.discovery.core.Registration;
import dev.discovery.core.ServiceInstance;
import dev.discovery.grpc.GrpcPort;
import dev.discovery.spring.SelfRegistration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.event.EventListener;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.grpc.server.lifecycle.GrpcServerShutdownEvent;
import org.springframework.grpc.server.lifecycle.GrpcServerStartedEvent;

/**
 * Ties the application's registration to Spring gRPC's server. An application without a
 * web server registers when the gRPC server has started, on its port, with that port as
 * {@code grpc-port} too; one that registered on its web server's port is warned when its
 * registration does not say where gRPC is served. When the gRPC server begins its graceful
 * shutdown (which Spring gRPC does first of all, in the last lifecycle phase) the
 * application is set OUT_OF_SERVICE and deregistered beforehand, so that no client picks
 * it while it drains.
 */
final class GrpcServerRegistration {

	private static final Logger logger = LoggerFactory.getLogger(GrpcServerRegistration.class);

	private final SelfRegistration selfRegistration;

	GrpcServerRegistration(SelfRegistration selfRegistration) {
		this.selfRegistration = selfRegistration;
	}

	@EventListener
	void started(GrpcServerStartedEvent event) {
		int grpcPort = event.getPort();
		Registration registered = this.selfRegistration.registration().orElse(null);
		if (registered == null) {
			this.selfRegistration.register(grpcPort, Map.of(GrpcPort.METADATA_KEY, String.valueOf(grpcPort)));
			return;
		}
		ServiceInstance instance = registered.instance();
		if (GrpcPort.of(instance) != grpcPort) {
			logger.warn("Instance {} is registered with gRPC port {}, but its gRPC server listens on {}; set "
					+ "discovery.instance.metadata.{}={} so that discovery:///{} clients reach it", instance.id(),
					GrpcPort.of(instance), grpcPort, GrpcPort.METADATA_KEY, grpcPort, instance.service());
		}
	}

	@EventListener
	@Order(Ordered.HIGHEST_PRECEDENCE)
	void shuttingDown(GrpcServerShutdownEvent event) {
		this.selfRegistration.stop();
	}

}
