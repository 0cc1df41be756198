package dev.discovery.spring.autoconfigure;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.discovery.spring.autoconfigure.DiscoveryProperties.Backend;

/**
 * Picks the backend factory that {@code discovery.backend} asks for among those whose
 * modules are on the classpath.
 */
final class BackendSelection {

	private static final Map<Backend, String> MODULES = Map.of(Backend.ETCD, "dev.discovery:discovery-etcd",
			Backend.CONSUL, "dev.discovery:discovery-consul", Backend.INMEMORY, "dev.discovery:discovery-inmemory");

	private BackendSelection() {
	}

	/**
	 * Selects the factory: the configured one, or with {@code auto} the one registry module
	 * present besides in-memory, or in-memory when there is none.
	 * @param configured the value of {@code discovery.backend}
	 * @param available the factories of the modules on the classpath
	 * @return the factory to use
	 * @throws InvalidDiscoveryPropertyException if the configured module is missing, or
	 * {@code auto} finds both etcd and Consul
	 */
	static DiscoveryBackendFactory select(Backend configured, List<DiscoveryBackendFactory> available) {
		Map<Backend, DiscoveryBackendFactory> byKind = available.stream()
			.collect(Collectors.toMap(DiscoveryBackendFactory::kind, Function.identity()));
		if (configured != Backend.AUTO) {
			DiscoveryBackendFactory factory = byKind.get(configured);
			if (factory == null) {
				throw new InvalidDiscoveryPropertyException("discovery.backend",
						"'" + name(configured) + "' is selected but its module is not on the classpath",
						"Add the dependency " + MODULES.get(configured) + ", or set discovery.backend to one of "
								+ byKind.keySet().stream().map(BackendSelection::name).sorted().toList() + ".");
			}
			return factory;
		}
		List<DiscoveryBackendFactory> registries = available.stream()
			.filter((factory) -> factory.kind() != Backend.INMEMORY)
			.toList();
		if (registries.size() > 1) {
			throw new InvalidDiscoveryPropertyException("discovery.backend",
					"'auto' found several registry modules on the classpath: "
							+ registries.stream().map((factory) -> name(factory.kind())).sorted().toList(),
					"Set discovery.backend to etcd or consul (or inmemory), or remove the module you do not use.");
		}
		if (registries.size() == 1) {
			return registries.get(0);
		}
		return byKind.get(Backend.INMEMORY);
	}

	private static String name(Backend backend) {
		return backend.name().toLowerCase(java.util.Locale.ROOT);
	}

}
