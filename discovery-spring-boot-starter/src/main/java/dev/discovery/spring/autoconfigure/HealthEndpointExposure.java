package dev.discovery.spring.autoconfigure;

import dev.discovery.consul.ConsulBackend;
import dev.discovery.core.DiscoveryBackend;
import dev.discovery.spring.SelfRegistration;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.web.PathMappedEndpoints;
import org.springframework.util.ClassUtils;

/**
 * Fails startup, before the application registers, when its Consul http check would poll an
 * actuator health endpoint that the application does not serve over HTTP, which would keep
 * the instance critical for good: the actuator is not on the classpath, or the application
 * is not a web application, or health is not exposed over HTTP
 * ({@code management.endpoints.web.exposure.*}) or not accessible
 * ({@code management.endpoint.health.access}). Spring Boot's own map of the endpoints it
 * serves over HTTP ({@link PathMappedEndpoints}) decides. Does nothing unless this
 * application registers itself on Consul with an http check on the derived path.
 */
final class HealthEndpointExposure implements SmartInitializingSingleton {

	private static final String PATH_MAPPED_ENDPOINTS_CLASS = "org.springframework.boot.actuate.endpoint.web.PathMappedEndpoints";

	private final DiscoveryProperties.Consul.Check check;

	private final ListableBeanFactory beanFactory;

	private final @Nullable ClassLoader classLoader;

	/**
	 * Creates the check.
	 * @param check the Consul check's settings
	 * @param beanFactory the application's bean factory
	 * @param classLoader the application's class loader
	 */
	HealthEndpointExposure(DiscoveryProperties.Consul.Check check, ListableBeanFactory beanFactory,
			@Nullable ClassLoader classLoader) {
		this.check = check;
		this.beanFactory = beanFactory;
		this.classLoader = classLoader;
	}

	/**
	 * Checks the endpoint once every singleton exists, which is before the web server starts
	 * and the application registers.
	 * @throws InvalidDiscoveryPropertyException if the check could never pass
	 */
	@Override
	public void afterSingletonsInstantiated() {
		boolean derivedHttpCheck = this.check.getType() == DiscoveryProperties.Consul.CheckType.HTTP
				&& this.check.getPath() == null;
		boolean registersOnConsul = this.beanFactory.getBeanProvider(DiscoveryBackend.class)
			.getIfUnique() instanceof ConsulBackend
				&& this.beanFactory.getBeanProvider(SelfRegistration.class).getIfUnique() != null;
		if (!derivedHttpCheck || !registersOnConsul) {
			return;
		}
		String reason = !ClassUtils.isPresent(PATH_MAPPED_ENDPOINTS_CLASS, this.classLoader)
				? "the actuator is not on the classpath" : Actuator.whyNotServed(this.beanFactory);
		if (reason != null) {
			throw new InvalidDiscoveryPropertyException("discovery.consul.check.type",
					"'http' has the Consul agent poll the actuator's health endpoint, which this application does not "
							+ "serve over HTTP (" + reason + "), so the instance would stay critical",
					"Serve health over HTTP (with spring-boot-starter-actuator, in a web application, with health in "
							+ "management.endpoints.web.exposure.include), or set discovery.consul.check.path to a "
							+ "path that answers 2xx while the application is healthy, or set "
							+ "discovery.consul.check.type=ttl.");
		}
	}

	/**
	 * Reads the actuator's endpoint map; loaded only where the actuator is.
	 */
	private static final class Actuator {

		static @Nullable String whyNotServed(ListableBeanFactory beanFactory) {
			PathMappedEndpoints endpoints = beanFactory.getBeanProvider(PathMappedEndpoints.class).getIfAvailable();
			if (endpoints == null) {
				return "no actuator endpoint is served over HTTP, as in an application without a web server";
			}
			if (endpoints.getEndpoint(EndpointId.of("health")) == null) {
				return "health is not among the actuator endpoints it serves over HTTP: "
						+ endpoints.getAllPaths().stream().sorted().toList();
			}
			return null;
		}

	}

}
