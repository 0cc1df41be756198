package dev.discovery.spring.autoconfigure;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.discovery.etcd.EtcdBackend;

import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * Gives the etcd backend a head start: as soon as the environment is known, and only when
 * discovery is enabled and etcd is the backend it will select, a daemon thread loads the
 * etcd client's classes and reads once from the configured {@code discovery.etcd.endpoints}
 * ({@link EtcdBackend#preloadClient(List)}) while Spring creates the context. The backend is
 * still built, and its configuration still checked, where it was: a misconfiguration fails
 * startup exactly as before. Endpoints from a {@link EtcdConnectionDetails} bean are not
 * known yet, so then the read goes to the configured ones and only loads classes if nothing
 * answers there. At most one preload runs per JVM.
 */
class EtcdClientPreloader implements ApplicationListener<ApplicationEnvironmentPreparedEvent> {

	private static final String ETCD_BACKEND = "dev.discovery.etcd.EtcdBackend";

	private static final String CONSUL_BACKEND = "dev.discovery.consul.ConsulBackend";

	private static final AtomicBoolean started = new AtomicBoolean();

	@Override
	public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
		ClassLoader classLoader = event.getSpringApplication().getClassLoader();
		if (selectsEtcd(event.getEnvironment(), classLoader) && started.compareAndSet(false, true)) {
			List<String> endpoints = endpoints(event.getEnvironment());
			Thread preload = new Thread(() -> EtcdBackend.preloadClient(endpoints), "discovery-etcd-preload");
			preload.setDaemon(true);
			preload.start();
		}
	}

	/**
	 * The endpoints as configured, or the default ones; none if they do not bind, which
	 * the properties' own validation reports.
	 */
	static List<String> endpoints(Environment environment) {
		try {
			return Binder.get(environment)
				.bind("discovery.etcd.endpoints", Bindable.listOf(String.class))
				.orElseGet(() -> new DiscoveryProperties.Etcd().getEndpoints());
		}
		catch (BindException ex) {
			return List.of();
		}
	}

	/**
	 * Whether the backend selection will pick etcd: {@code discovery.backend=etcd}, or
	 * {@code auto} with etcd the only registry module present. The modules' classes are
	 * looked up only when the property leaves etcd possible, so that an application on
	 * another backend loads none of them here. Values that do not bind are left for the
	 * properties' own validation, without a preload.
	 */
	static boolean selectsEtcd(Environment environment, ClassLoader classLoader) {
		if (!environment.getProperty("discovery.enabled", Boolean.class, true)) {
			return false;
		}
		String backend = environment.getProperty("discovery.backend", "auto").trim().toLowerCase(Locale.ROOT);
		return switch (backend) {
			case "etcd" -> ClassUtils.isPresent(ETCD_BACKEND, classLoader);
			case "auto" -> ClassUtils.isPresent(ETCD_BACKEND, classLoader)
					&& !ClassUtils.isPresent(CONSUL_BACKEND, classLoader);
			default -> false;
		};
	}

}
