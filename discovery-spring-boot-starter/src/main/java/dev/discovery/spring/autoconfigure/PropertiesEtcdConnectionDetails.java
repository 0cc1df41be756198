package dev.discovery.spring.autoconfigure;

import java.nio.file.Path;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * {@link EtcdConnectionDetails} read from {@code discovery.etcd.*}.
 */
class PropertiesEtcdConnectionDetails implements EtcdConnectionDetails {

	private final DiscoveryProperties.Etcd properties;

	PropertiesEtcdConnectionDetails(DiscoveryProperties.Etcd properties) {
		this.properties = properties;
	}

	@Override
	public List<String> getEndpoints() {
		return this.properties.getEndpoints();
	}

	@Override
	public @Nullable String getUsername() {
		return this.properties.getUsername();
	}

	@Override
	public @Nullable String getPassword() {
		return this.properties.getPassword();
	}

	@Override
	public @Nullable Path getCaFile() {
		return this.properties.getCaFile();
	}

	@Override
	public @Nullable Path getClientCertFile() {
		return this.properties.getClientCertFile();
	}

	@Override
	public @Nullable Path getClientKeyFile() {
		return this.properties.getClientKeyFile();
	}

}
