package dev.discovery.spring.cloud;

import java.util.Arrays;
import java.util.Locale;

import dev.discovery.core.InstanceStatus;
import org.jspecify.annotations.Nullable;

import org.springframework.cloud.client.serviceregistry.ServiceRegistry;

/**
 * Spring Cloud's {@link ServiceRegistry} over the starter's own registration, so that
 * Spring Cloud's {@code serviceregistry} actuator endpoint reads and sets this
 * application's status. It never registers a second time: the starter registers the
 * application when its web server starts, so {@link #register} does nothing, and
 * {@link #deregister} takes the instance out of service and deregisters it as the
 * starter does on shutdown. Thread-safe.
 */
public class CloudServiceRegistry implements ServiceRegistry<CloudRegistration> {

	/**
	 * Does nothing: the starter has registered, or will register, this application.
	 * @param registration this application's registration
	 */
	@Override
	public void register(CloudRegistration registration) {
	}

	/**
	 * Sets the instance {@code OUT_OF_SERVICE} and deregisters it.
	 * @param registration this application's registration
	 */
	@Override
	public void deregister(CloudRegistration registration) {
		registration.selfRegistration().stop();
	}

	/**
	 * Does nothing: the starter's lifecycle deregisters on shutdown.
	 */
	@Override
	public void close() {
	}

	/**
	 * Sets the registered status.
	 * @param registration this application's registration
	 * @param status one of {@code STARTING}, {@code UP}, {@code DOWN},
	 * {@code OUT_OF_SERVICE}, in any case
	 * @throws IllegalArgumentException if the status is not one of those; nothing changes
	 */
	@Override
	public void setStatus(CloudRegistration registration, String status) {
		registration.selfRegistration().setStatus(parse(status));
	}

	/**
	 * Returns the registered status.
	 * @param <T> {@link String}
	 * @param registration this application's registration
	 * @return the status name, or {@code null} while the application is not registered
	 */
	@Override
	@SuppressWarnings("unchecked")
	public <T> @Nullable T getStatus(CloudRegistration registration) {
		return (T) registration.selfRegistration()
			.registration()
			.map((current) -> current.instance().status().name())
			.orElse(null);
	}

	private static InstanceStatus parse(@Nullable String status) {
		String name = (status != null) ? status.trim().toUpperCase(Locale.ROOT) : "";
		for (InstanceStatus candidate : InstanceStatus.values()) {
			if (candidate.name().equals(name)) {
				return candidate;
			}
		}
		throw new IllegalArgumentException("status '" + status + "' is not one of "
				+ Arrays.toString(InstanceStatus.values()) + " (any case)");
	}

}
