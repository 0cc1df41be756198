package dev.discovery.spring.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import dev.discovery.consul.ConsulBackend;
import dev.discovery.etcd.EtcdBackend;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.context.ApplicationListener;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When the etcd client is preloaded: only where the backend selection will pick etcd.
 */
class EtcdClientPreloaderTests {

	private final ClassLoader bothRegistries = getClass().getClassLoader();

	private final ClassLoader etcdOnly = new FilteredClassLoader(ConsulBackend.class);

	@Test
	void preloadsWhenEtcdIsSelected() {
		assertThat(EtcdClientPreloader.selectsEtcd(environment("discovery.backend", "etcd"), this.bothRegistries))
			.isTrue();
		assertThat(EtcdClientPreloader.selectsEtcd(environment("discovery.backend", "ETCD"), this.bothRegistries))
			.isTrue();
	}

	@Test
	void preloadsWhenAutoFindsOnlyEtcd() {
		assertThat(EtcdClientPreloader.selectsEtcd(new MockEnvironment(), this.etcdOnly)).isTrue();
		assertThat(EtcdClientPreloader.selectsEtcd(environment("discovery.backend", "auto"), this.etcdOnly)).isTrue();
	}

	@Test
	void doesNotPreloadForAnotherBackendOrAnAmbiguousAuto() {
		assertThat(EtcdClientPreloader.selectsEtcd(environment("discovery.backend", "consul"), this.bothRegistries))
			.isFalse();
		assertThat(EtcdClientPreloader.selectsEtcd(environment("discovery.backend", "inmemory"), this.etcdOnly))
			.isFalse();
		assertThat(EtcdClientPreloader.selectsEtcd(new MockEnvironment(), this.bothRegistries)).isFalse();
	}

	@Test
	void looksUpNoModuleClassForAnotherBackend() {
		List<String> lookedUp = new ArrayList<>();
		ClassLoader recording = new ClassLoader(null) {

			@Override
			protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
				lookedUp.add(name);
				return super.loadClass(name, resolve);
			}

		};
		assertThat(EtcdClientPreloader.selectsEtcd(environment("discovery.backend", "inmemory"), recording)).isFalse();
		assertThat(EtcdClientPreloader.selectsEtcd(environment("discovery.backend", "consul"), recording)).isFalse();
		assertThat(lookedUp).isEmpty();
		assertThat(EtcdClientPreloader.selectsEtcd(environment("discovery.backend", "etcd"), recording)).isFalse();
		assertThat(lookedUp).containsExactly("dev.discovery.etcd.EtcdBackend");
	}

	@Test
	void doesNotPreloadWhenDiscoveryIsOffOrEtcdIsMissing() {
		assertThat(EtcdClientPreloader.selectsEtcd(
				environment("discovery.backend", "etcd").withProperty("discovery.enabled", "false"), this.bothRegistries))
			.isFalse();
		assertThat(EtcdClientPreloader.selectsEtcd(environment("discovery.backend", "etcd"),
				new FilteredClassLoader(EtcdBackend.class)))
			.isFalse();
	}

	@Test
	void readsFromTheConfiguredEndpointsOrTheDefaultOne() {
		assertThat(EtcdClientPreloader.endpoints(
				environment("discovery.etcd.endpoints", "http://10.0.0.1:2379,http://10.0.0.2:2379")))
			.containsExactly("http://10.0.0.1:2379", "http://10.0.0.2:2379");
		assertThat(EtcdClientPreloader.endpoints(new MockEnvironment()))
			.isEqualTo(new DiscoveryProperties.Etcd().getEndpoints());
	}

	@Test
	void isRegisteredAsAnApplicationListener() {
		assertThat(SpringFactoriesLoader.forDefaultResourceLocation(this.bothRegistries)
			.load(ApplicationListener.class)).anyMatch(EtcdClientPreloader.class::isInstance);
	}

	private static MockEnvironment environment(String name, String value) {
		return new MockEnvironment().withProperty(name, value);
	}

}
