package dev.discovery.spring.autoconfigure;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.discovery.etcd.EtcdBackend;

import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * Gives the etcd backend a head start: as soon as the environment is known, and only when
 * discovery is enabled and etcd is the backend it will select, a daemon thread loads the
 * etcd client's classes ({@link EtcdBackend#preloadClient()}) while Spring creates the
 * context. The backend is still built, and its configuration still checked, where it was:
 * a misconfiguration fails startup exactly as before. At most one preload runs per JVM.
 */
class EtcdClientPreloader implements ApplicationListener<ApplicationEnvironmentPreparedEvent> {

	private static final String ETCD_BACKEND = "dev.discovery.etcd.EtcdBackend";

	private static final String CONSUL_BACKEND = "dev.discovery.consul.ConsulBackend";

	private static final AtomicBoolean started = new AtomicBoolean();

	@Override
	public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
		ClassLoader classLoader = event.getSpringApplication().getClassLoader();
		if (selectsEtcd(event.getEnvironment(), classLoader) && started.compareAndSet(false, true)) {
			Thread preload = new Thread(EtcdBackend::preloadClient, "discovery-etcd-preload");
			preload.setDaemon(true);
			preload.start();
		}
	}

	/**
	 * Whether the backend selection will pick etcd: {@code discovery.backend=etcd}, or
	 * {@code auto} with etcd the only registry module present. Values that do not bind are
	 * left for the properties' own validation, without a preload.
	 */
	static boolean selectsEtcd(Environment environment, ClassLoader classLoader) {
		if (!environment.getProperty("discovery.enabled", Boolean.class, true)
				|| !ClassUtils.isPresent(ETCD_BACKEND, classLoader)) {
			return false;
		}
		String backend = environment.getProperty("discovery.backend", "auto").trim().toLowerCase(Locale.ROOT);
		return backend.equals("etcd") || (backend.equals("auto") && !ClassUtils.isPresent(CONSUL_BACKEND, classLoader));
	}

}
