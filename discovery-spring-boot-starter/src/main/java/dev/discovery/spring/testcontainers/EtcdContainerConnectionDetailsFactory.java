package dev.discovery.spring.testcontainers;

import java.util.List;

import dev.discovery.spring.autoconfigure.EtcdConnectionDetails;

import org.springframework.boot.testcontainers.service.connection.ContainerConnectionDetailsFactory;
import org.springframework.boot.testcontainers.service.connection.ContainerConnectionSource;

/**
 * {@link EtcdConnectionDetails} of an {@link EtcdContainer} annotated with
 * {@code @ServiceConnection}: its one client endpoint, without credentials.
 */
class EtcdContainerConnectionDetailsFactory
		extends ContainerConnectionDetailsFactory<EtcdContainer, EtcdConnectionDetails> {

	@Override
	protected EtcdConnectionDetails getContainerConnectionDetails(ContainerConnectionSource<EtcdContainer> source) {
		return new EtcdContainerConnectionDetails(source);
	}

	private static final class EtcdContainerConnectionDetails extends ContainerConnectionDetails<EtcdContainer>
			implements EtcdConnectionDetails {

		private EtcdContainerConnectionDetails(ContainerConnectionSource<EtcdContainer> source) {
			super(source);
		}

		@Override
		public List<String> getEndpoints() {
			return List.of(getContainer().getClientEndpoint());
		}

	}

}
