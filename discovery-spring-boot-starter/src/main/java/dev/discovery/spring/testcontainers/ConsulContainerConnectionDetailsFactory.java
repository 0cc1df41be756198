package dev.discovery.spring.testcontainers;

import dev.discovery.spring.autoconfigure.ConsulConnectionDetails;
import org.testcontainers.consul.ConsulContainer;

import org.springframework.boot.testcontainers.service.connection.ContainerConnectionDetailsFactory;
import org.springframework.boot.testcontainers.service.connection.ContainerConnectionSource;

/**
 * {@link ConsulConnectionDetails} of Testcontainers' {@link ConsulContainer} annotated with
 * {@code @ServiceConnection}: the agent's HTTP API on the Docker host, without an ACL token.
 * Skipped where {@code testcontainers-consul} is not on the class path.
 */
class ConsulContainerConnectionDetailsFactory
		extends ContainerConnectionDetailsFactory<ConsulContainer, ConsulConnectionDetails> {

	private static final int HTTP_PORT = 8500;

	ConsulContainerConnectionDetailsFactory() {
		super(ANY_CONNECTION_NAME, "org.testcontainers.consul.ConsulContainer");
	}

	@Override
	protected ConsulConnectionDetails getContainerConnectionDetails(ContainerConnectionSource<ConsulContainer> source) {
		return new ConsulContainerConnectionDetails(source);
	}

	private static final class ConsulContainerConnectionDetails extends ContainerConnectionDetails<ConsulContainer>
			implements ConsulConnectionDetails {

		private ConsulContainerConnectionDetails(ContainerConnectionSource<ConsulContainer> source) {
			super(source);
		}

		@Override
		public String getHost() {
			return getContainer().getHost();
		}

		@Override
		public int getPort() {
			return getContainer().getMappedPort(HTTP_PORT);
		}

	}

}
