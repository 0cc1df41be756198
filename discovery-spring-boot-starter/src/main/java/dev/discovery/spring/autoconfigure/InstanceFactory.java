package dev.discovery.spring.autoconfigure;

import java.util.function.IntFunction;

import dev.discovery.core.InvalidValueException;
import dev.discovery.core.ServiceInstance;
import dev.discovery.core.Validation;
import org.jspecify.annotations.Nullable;

import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

/**
 * Builds this application's {@link ServiceInstance} for a port from
 * {@code discovery.instance.*}. Where not set: the service from
 * {@code spring.application.name}, the host detected by {@link HostDetector}, https when the
 * web server serves it. A value that breaks a rule fails with the property to set, also when
 * the value was derived (the service name from {@code spring.application.name}, the default
 * id).
 */
final class InstanceFactory implements IntFunction<ServiceInstance> {

	private final DiscoveryProperties.Instance settings;

	private final String service;

	private final String host;

	private final boolean secure;

	/**
	 * Resolves the service name, host and scheme once.
	 * @param settings the instance settings
	 * @param environment supplies {@code spring.application.name}
	 * @param webServerSsl whether the web server serves https, the default of
	 * {@code discovery.instance.secure}
	 * @throws InvalidDiscoveryPropertyException if no service name is configured
	 */
	InstanceFactory(DiscoveryProperties.Instance settings, Environment environment, boolean webServerSsl) {
		this.settings = settings;
		this.secure = (settings.getSecure() != null) ? settings.getSecure() : webServerSsl;
		this.service = serviceName(settings.getService(), environment.getProperty("spring.application.name"));
		this.host = (settings.getHost() != null) ? settings.getHost()
				: HostDetector.onThisMachine(settings.networkPreferences()).detect(settings.isPreferIpAddress());
	}

	@Override
	public ServiceInstance apply(int port) {
		try {
			return ServiceInstance.builder(this.service, this.host, port)
				.id(this.settings.getId())
				.secure(this.secure)
				.zone(this.settings.getZone())
				.weight(this.settings.getWeight())
				.tags(this.settings.getTags())
				.metadata(this.settings.getMetadata())
				.build();
		}
		catch (InvalidValueException ex) {
			if (ex.getField().equals("instance id") && this.settings.getId() == null) {
				throw new InvalidDiscoveryPropertyException("discovery.instance.id",
						ex.getMessage() + " (the default <service>-<host>-<port>, as the property is not set)",
						"Set discovery.instance.id to an id that follows the rule above.");
			}
			throw new InvalidDiscoveryPropertyException("discovery.instance", ex.getMessage(),
					"Fix the discovery.instance.* property the message names.");
		}
	}

	private static String serviceName(@Nullable String configured, @Nullable String applicationName) {
		String name = StringUtils.hasText(configured) ? configured : applicationName;
		if (!StringUtils.hasText(name)) {
			throw new InvalidDiscoveryPropertyException("discovery.instance.service", "no service name to register under",
					"Set spring.application.name or discovery.instance.service, "
							+ "or set discovery.registration.enabled=false to only discover others.");
		}
		if (!StringUtils.hasText(configured)) {
			try {
				Validation.serviceName(name);
			}
			catch (IllegalArgumentException ex) {
				throw new InvalidDiscoveryPropertyException("spring.application.name",
						ex.getMessage() + " (the service name, as discovery.instance.service is not set)",
						"Set discovery.instance.service to a service name that follows the rule above; "
								+ "spring.application.name can then stay as it is.");
			}
		}
		return name;
	}

}
