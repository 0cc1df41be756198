package dev.discovery.spring.cloud;

import java.net.URI;
import java.util.Map;

import dev.discovery.spring.SelfRegistration;

import org.springframework.cloud.client.serviceregistry.Registration;

/**
 * Spring Cloud's view of this application's own registration, the one the starter's
 * {@link SelfRegistration} made: every read reflects the instance as currently
 * registered, with the metadata of {@link CloudServiceInstance}. Reading it before the
 * application registered (before its web server started) or after it deregistered throws
 * {@link IllegalStateException}. Thread-safe.
 */
public class CloudRegistration implements Registration {

	private final SelfRegistration selfRegistration;

	/**
	 * Creates the view.
	 * @param selfRegistration the starter's registration of this application
	 */
	public CloudRegistration(SelfRegistration selfRegistration) {
		this.selfRegistration = selfRegistration;
	}

	SelfRegistration selfRegistration() {
		return this.selfRegistration;
	}

	@Override
	public String getInstanceId() {
		return current().getInstanceId();
	}

	@Override
	public String getServiceId() {
		return current().getServiceId();
	}

	@Override
	public String getHost() {
		return current().getHost();
	}

	@Override
	public int getPort() {
		return current().getPort();
	}

	@Override
	public boolean isSecure() {
		return current().isSecure();
	}

	@Override
	public URI getUri() {
		return current().getUri();
	}

	@Override
	public Map<String, String> getMetadata() {
		return current().getMetadata();
	}

	@Override
	public String getScheme() {
		return current().getScheme();
	}

	private CloudServiceInstance current() {
		return this.selfRegistration.registration()
			.map((registration) -> CloudServiceInstance.of(registration.instance()))
			.orElseThrow(() -> new IllegalStateException(
					"This application is not registered: it registers when its web server starts, "
							+ "or at startup when discovery.instance.port is set"));
	}

}
