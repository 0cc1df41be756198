package dev.discovery.spring.autoconfigure;

import java.util.concurrent.atomic.AtomicBoolean;

import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;

/**
 * Gives host detection a head start: as soon as the environment is known, and only when
 * this application will register with a host it must detect (discovery and registration
 * enabled, {@code discovery.instance.host} not set), a daemon thread runs a detection that
 * logs nothing ({@link HostDetector#warmUp()}) while Spring creates the context: the JDK then
 * holds the resolved host name for five seconds and the classes are loaded, so that the
 * detection that counts takes less of the main thread, and no longer waits there where
 * resolving the host name waits on the network. Detection itself, its rules and its log
 * line stay where they were. At most one preload runs per JVM.
 */
class HostDetectionPreloader implements ApplicationListener<ApplicationEnvironmentPreparedEvent> {

	private static final AtomicBoolean started = new AtomicBoolean();

	@Override
	public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
		if (detectsHost(event.getEnvironment()) && started.compareAndSet(false, true)) {
			Thread preload = new Thread(HostDetector::warmUp, "discovery-host-preload");
			preload.setDaemon(true);
			preload.start();
		}
	}

	/**
	 * Whether the application will detect its host when it registers.
	 */
	static boolean detectsHost(Environment environment) {
		return environment.getProperty("discovery.enabled", Boolean.class, true)
				&& environment.getProperty("discovery.registration.enabled", Boolean.class, true)
				&& !environment.containsProperty("discovery.instance.host");
	}

}
