package dev.discovery.spring;

import java.util.Map;
import java.util.Optional;
import java.util.function.IntFunction;

import dev.discovery.core.DiscoveryBackend;
import dev.discovery.core.InstanceStatus;
import dev.discovery.core.Registration;
import dev.discovery.core.ServiceInstance;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;

/**
 * The registration of this application itself. Thread-safe.
 * <p>
 * It registers with status {@link InstanceStatus#STARTING} once the port is known (the web
 * server's actual port, or the configured one), is set {@link InstanceStatus#UP} when the
 * application is ready, and on shutdown is set {@link InstanceStatus#OUT_OF_SERVICE} and
 * deregistered. As a {@link SmartLifecycle} in phase {@link #PHASE} it stops before the web
 * server's graceful shutdown (phase {@code Integer.MAX_VALUE - 1024}) starts draining, so no
 * new traffic is sent to an instance that drains.
 */
public class SelfRegistration implements SmartLifecycle {

	/** Stops before graceful shutdown of the web server, which stops in phase {@code Integer.MAX_VALUE - 1024}. */
	public static final int PHASE = Integer.MAX_VALUE - 512;

	private static final Logger logger = LoggerFactory.getLogger(SelfRegistration.class);

	private final DiscoveryBackend backend;

	private final IntFunction<ServiceInstance> instanceForPort;

	private final @Nullable Integer configuredPort;

	private @Nullable Registration registration;

	private boolean running;

	/**
	 * Creates the registration, which does nothing until a port is known.
	 * @param backend the registry to register with
	 * @param instanceForPort builds this application's instance for a port
	 * @param configuredPort the port set in configuration, which wins over the web
	 * server's, or {@code null}
	 */
	public SelfRegistration(DiscoveryBackend backend, IntFunction<ServiceInstance> instanceForPort,
			@Nullable Integer configuredPort) {
		this.backend = backend;
		this.instanceForPort = instanceForPort;
		this.configuredPort = configuredPort;
	}

	/**
	 * Registers with status STARTING on the given port, or the configured one when set. Does
	 * nothing when already registered.
	 * @param serverPort the port the web server listens on
	 * @throws dev.discovery.core.DiscoveryException if the registry refused or could not be
	 * reached
	 */
	public synchronized void register(int serverPort) {
		register(serverPort, Map.of());
	}

	/**
	 * Registers with status STARTING on the given port, or the configured one when set, with
	 * more metadata over the configured metadata; for example the {@code grpc-port} of an
	 * application that serves gRPC only. Does nothing when already registered.
	 * @param serverPort the port the server listens on
	 * @param metadata metadata that wins over the configured entries of the same keys
	 * @throws IllegalArgumentException if the metadata breaks the registry's limits
	 * @throws dev.discovery.core.DiscoveryException if the registry refused or could not be
	 * reached
	 */
	public synchronized void register(int serverPort, Map<String, String> metadata) {
		if (this.registration != null) {
			return;
		}
		int port = (this.configuredPort != null) ? this.configuredPort : serverPort;
		ServiceInstance instance = this.instanceForPort.apply(port)
			.toBuilder()
			.metadata(metadata)
			.status(InstanceStatus.STARTING)
			.build();
		this.registration = this.backend.register(instance);
		logger.info("Registered {} of service '{}' at {}", instance.id(), instance.service(), instance.uri());
	}

	/**
	 * Changes the registered status; does nothing before registration.
	 * @param status the new status
	 */
	public synchronized void setStatus(InstanceStatus status) {
		if (this.registration != null) {
			this.registration.setStatus(status);
			logger.info("Status of {} is now {}", this.registration.instance().id(), status);
		}
	}

	/**
	 * Returns the registration once the application registered.
	 * @return the registration, or empty before registration and after deregistration
	 */
	public synchronized Optional<Registration> registration() {
		return Optional.ofNullable(this.registration);
	}

	/**
	 * Registers on the configured port, for applications without a web server; a web
	 * application has registered on its port before this phase starts.
	 */
	@Override
	public synchronized void start() {
		this.running = true;
		if (this.registration == null && this.configuredPort != null) {
			register(this.configuredPort);
		}
	}

	/**
	 * Sets the status OUT_OF_SERVICE and deregisters. Logs before it deregisters, not after:
	 * {@link Registration#close()} never throws, and a backend that could not remove the
	 * registration says so itself, with what becomes of it.
	 */
	@Override
	public synchronized void stop() {
		this.running = false;
		Registration current = this.registration;
		if (current == null) {
			return;
		}
		this.registration = null;
		logger.info("Deregistering {} of service '{}'", current.instance().id(), current.instance().service());
		try {
			current.setStatus(InstanceStatus.OUT_OF_SERVICE);
		}
		catch (RuntimeException ex) {
			logger.warn("Could not set {} OUT_OF_SERVICE before deregistering", current.instance().id(), ex);
		}
		current.close();
	}

	@Override
	public synchronized boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

}
