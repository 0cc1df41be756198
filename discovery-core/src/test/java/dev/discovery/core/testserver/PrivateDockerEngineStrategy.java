package dev.discovery.core.testserver;

import java.net.URI;

import org.testcontainers.dockerclient.DockerClientProviderStrategy;
import org.testcontainers.dockerclient.InvalidConfigurationException;
import org.testcontainers.dockerclient.TransportConfig;

/**
 * Points Testcontainers at the {@link PrivateDockerEngine}, starting it on first use. It is
 * found through {@link java.util.ServiceLoader}, applies only where
 * {@link PrivateDockerEngine#permitted()}, and has the lowest priority, so any engine that
 * Testcontainers finds by itself ({@code DOCKER_HOST}, {@code /var/run/docker.sock},
 * Docker Desktop, ...) is used instead, and never touched. It is not persisted to
 * {@code ~/.testcontainers.properties}.
 */
public final class PrivateDockerEngineStrategy extends DockerClientProviderStrategy {

	@Override
	public String getDescription() {
		return "a private dockerd started by the test run (CI=true, root, Linux)";
	}

	@Override
	public TransportConfig getTransportConfig() {
		try {
			return TransportConfig.builder()
				.dockerHost(URI.create("unix://" + PrivateDockerEngine.shared().socket()))
				.build();
		}
		catch (IllegalStateException ex) {
			throw new InvalidConfigurationException(ex.getMessage(), ex);
		}
	}

	/**
	 * Returns where published ports are reached: this machine's loopback, where the engine
	 * binds them, even when this JVM itself runs inside a container.
	 * @return {@code localhost}
	 */
	@Override
	public String getDockerHostIpAddress() {
		return "localhost";
	}

	@Override
	protected boolean isApplicable() {
		return PrivateDockerEngine.permitted();
	}

	@Override
	protected boolean isPersistable() {
		return false;
	}

	@Override
	protected int getPriority() {
		return Integer.MIN_VALUE;
	}

}
