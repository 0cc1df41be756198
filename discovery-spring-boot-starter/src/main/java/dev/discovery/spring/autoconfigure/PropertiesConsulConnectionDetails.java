package dev.discovery.spring.autoconfigure;

import java.nio.file.Path;

import org.jspecify.annotations.Nullable;

/**
 * {@link ConsulConnectionDetails} read from {@code discovery.consul.*}.
 */
class PropertiesConsulConnectionDetails implements ConsulConnectionDetails {

	private final DiscoveryProperties.Consul properties;

	PropertiesConsulConnectionDetails(DiscoveryProperties.Consul properties) {
		this.properties = properties;
	}

	@Override
	public String getHost() {
		return this.properties.getHost();
	}

	@Override
	public int getPort() {
		return this.properties.getPort();
	}

	@Override
	public String getScheme() {
		return this.properties.getScheme();
	}

	@Override
	public @Nullable String getToken() {
		return this.properties.getToken();
	}

	@Override
	public @Nullable Path getCaFile() {
		return this.properties.getCaFile();
	}

}
