package dev.discovery.spring.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.discovery.core.LoadBalancers;
import dev.discovery.core.Validation;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.Errors;
import org.springframework.validation.annotation.Validated;

/**
 * Configuration of service discovery, under {@code discovery.*}. Validated when bound: a
 * value that breaks a rule fails startup with a message that names the property, the value
 * and the rule.
 */
@ConfigurationProperties("discovery")
@Validated
public class DiscoveryProperties implements org.springframework.validation.Validator {

	/**
	 * Whether service discovery is enabled at all: registration, the client, actuator.
	 */
	private boolean enabled = true;

	/**
	 * Which registry to use. 'auto' uses the one registry module on the classpath
	 * (discovery-etcd or discovery-consul), or the embedded in-memory registry when there is
	 * none.
	 */
	private Backend backend = Backend.AUTO;

	private final Instance instance = new Instance();

	private final Registration registration = new Registration();

	private final Etcd etcd = new Etcd();

	private final Consul consul = new Consul();

	private final LoadBalancer loadBalancer = new LoadBalancer();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public Backend getBackend() {
		return this.backend;
	}

	public void setBackend(Backend backend) {
		this.backend = backend;
	}

	public Instance getInstance() {
		return this.instance;
	}

	public Registration getRegistration() {
		return this.registration;
	}

	public Etcd getEtcd() {
		return this.etcd;
	}

	public Consul getConsul() {
		return this.consul;
	}

	public LoadBalancer getLoadBalancer() {
		return this.loadBalancer;
	}

	@Override
	public boolean supports(Class<?> type) {
		return DiscoveryProperties.class.isAssignableFrom(type);
	}

	@Override
	public void validate(Object target, Errors errors) {
		DiscoveryProperties properties = (DiscoveryProperties) target;
		properties.instance.validate(errors);
		check(errors, "registration.ttl", () -> Validation.positive("ttl", properties.registration.ttl));
		check(errors, "etcd.request-timeout", () -> Validation.positive("timeout", properties.etcd.requestTimeout));
		check(errors, "consul.port", () -> Validation.port("port", properties.consul.port));
		Consul.Check consulCheck = properties.consul.check;
		check(errors, "consul.check.interval", () -> Validation.positive("interval", consulCheck.interval));
		check(errors, "consul.check.deregister-critical-after",
				() -> Validation.positive("duration", consulCheck.deregisterCriticalAfter));
		check(errors, "load-balancer.strategy", () -> LoadBalancers.byName(properties.loadBalancer.strategy));
		properties.loadBalancer.services.forEach((service, settings) -> {
			check(errors, "load-balancer.services", () -> Validation.serviceName(service));
			check(errors, "load-balancer.services." + service + ".strategy", () -> LoadBalancers.byName(settings.strategy));
		});
	}

	/**
	 * Runs one rule of {@link Validation} and records its failure against the property.
	 * @param errors where failures are recorded
	 * @param property the property below {@code discovery.}
	 * @param rule the check, which throws {@link IllegalArgumentException} on failure
	 */
	static void check(Errors errors, String property, Runnable rule) {
		try {
			rule.run();
		}
		catch (IllegalArgumentException ex) {
			errors.reject("discovery." + property, "discovery." + property + ": " + ex.getMessage());
		}
	}

	/**
	 * The registries discovery can use.
	 */
	public enum Backend {

		/** The one registry module on the classpath, or in-memory when there is none. */
		AUTO,

		/** The embedded registry of this JVM. */
		INMEMORY,

		/** etcd, through discovery-etcd. */
		ETCD,

		/** Consul, through discovery-consul. */
		CONSUL

	}

	/**
	 * How this application describes itself in the registry.
	 */
	public static class Instance {

		/**
		 * Service name to register under. Defaults to spring.application.name.
		 */
		private @Nullable String service;

		/**
		 * Instance id, unique within the service. Defaults to <service>-<host>-<port>.
		 */
		private @Nullable String id;

		/**
		 * Host other instances use to reach this one. Defaults to the detected host name, or
		 * its IP address with prefer-ip-address.
		 */
		private @Nullable String host;

		/**
		 * Whether to register the IP address instead of the host name when the host is
		 * detected.
		 */
		private boolean preferIpAddress;

		/**
		 * Port to register. Defaults to the web server's actual port; an application without
		 * a web server registers only when this is set.
		 */
		private @Nullable Integer port;

		/**
		 * Whether the instance is reached over https.
		 */
		private boolean secure;

		/**
		 * Zone (for example an availability zone) of the instance.
		 */
		private @Nullable String zone;

		/**
		 * Load-balancing weight, 1-1000.
		 */
		private int weight = 1;

		/**
		 * Tags of the instance.
		 */
		private List<String> tags = new ArrayList<>();

		/**
		 * Metadata of the instance: at most 64 entries, keys of [A-Za-z0-9_-], values of at
		 * most 512 characters.
		 */
		private Map<String, String> metadata = new LinkedHashMap<>();

		public @Nullable String getService() {
			return this.service;
		}

		public void setService(@Nullable String service) {
			this.service = service;
		}

		public @Nullable String getId() {
			return this.id;
		}

		public void setId(@Nullable String id) {
			this.id = id;
		}

		public @Nullable String getHost() {
			return this.host;
		}

		public void setHost(@Nullable String host) {
			this.host = host;
		}

		public boolean isPreferIpAddress() {
			return this.preferIpAddress;
		}

		public void setPreferIpAddress(boolean preferIpAddress) {
			this.preferIpAddress = preferIpAddress;
		}

		public @Nullable Integer getPort() {
			return this.port;
		}

		public void setPort(@Nullable Integer port) {
			this.port = port;
		}

		public boolean isSecure() {
			return this.secure;
		}

		public void setSecure(boolean secure) {
			this.secure = secure;
		}

		public @Nullable String getZone() {
			return this.zone;
		}

		public void setZone(@Nullable String zone) {
			this.zone = zone;
		}

		public int getWeight() {
			return this.weight;
		}

		public void setWeight(int weight) {
			this.weight = weight;
		}

		public List<String> getTags() {
			return this.tags;
		}

		public void setTags(List<String> tags) {
			this.tags = tags;
		}

		public Map<String, String> getMetadata() {
			return this.metadata;
		}

		public void setMetadata(Map<String, String> metadata) {
			this.metadata = metadata;
		}

		void validate(Errors errors) {
			if (this.service != null) {
				check(errors, "instance.service", () -> Validation.serviceName(this.service));
			}
			if (this.id != null) {
				check(errors, "instance.id", () -> Validation.instanceId(this.id));
			}
			if (this.host != null) {
				check(errors, "instance.host", () -> Validation.host(this.host));
			}
			if (this.port != null) {
				check(errors, "instance.port", () -> Validation.port("port", this.port));
			}
			check(errors, "instance.zone", () -> Validation.zone(this.zone));
			check(errors, "instance.weight", () -> Validation.weight(this.weight));
			check(errors, "instance.tags", () -> Validation.tags(this.tags));
			check(errors, "instance.metadata", () -> Validation.metadata(this.metadata));
		}

	}

	/**
	 * Registration of this application in the registry.
	 */
	public static class Registration {

		/**
		 * Whether this application registers itself. Discovery of others stays on when off.
		 */
		private boolean enabled = true;

		/**
		 * How long the registration outlives this application if it dies without
		 * deregistering: the etcd lease TTL, the Consul TTL check, the in-memory expiry.
		 */
		private Duration ttl = Duration.ofSeconds(10);

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Duration getTtl() {
			return this.ttl;
		}

		public void setTtl(Duration ttl) {
			this.ttl = ttl;
		}

	}

	/**
	 * Connection to etcd.
	 */
	public static class Etcd {

		/**
		 * Endpoints of the etcd cluster, http:// or https:// URLs with a port.
		 */
		private List<String> endpoints = new ArrayList<>(List.of("http://127.0.0.1:2379"));

		/**
		 * Key prefix under which instances are stored: /<namespace>/services/<service>/<id>.
		 */
		private String namespace = "discovery";

		/**
		 * User name for etcd authentication.
		 */
		private @Nullable String username;

		/**
		 * Password for etcd authentication.
		 */
		private @Nullable String password;

		/**
		 * PEM file of the certificate authority that signed the etcd server certificates.
		 */
		private @Nullable Path caFile;

		/**
		 * PEM file of the client certificate, for etcd with client certificate
		 * authentication.
		 */
		private @Nullable Path clientCertFile;

		/**
		 * PEM file (PKCS#8) of the client certificate's private key.
		 */
		private @Nullable Path clientKeyFile;

		/**
		 * Timeout of every call to etcd.
		 */
		private Duration requestTimeout = Duration.ofSeconds(5);

		public List<String> getEndpoints() {
			return this.endpoints;
		}

		public void setEndpoints(List<String> endpoints) {
			this.endpoints = endpoints;
		}

		public String getNamespace() {
			return this.namespace;
		}

		public void setNamespace(String namespace) {
			this.namespace = namespace;
		}

		public @Nullable String getUsername() {
			return this.username;
		}

		public void setUsername(@Nullable String username) {
			this.username = username;
		}

		public @Nullable String getPassword() {
			return this.password;
		}

		public void setPassword(@Nullable String password) {
			this.password = password;
		}

		public @Nullable Path getCaFile() {
			return this.caFile;
		}

		public void setCaFile(@Nullable Path caFile) {
			this.caFile = caFile;
		}

		public @Nullable Path getClientCertFile() {
			return this.clientCertFile;
		}

		public void setClientCertFile(@Nullable Path clientCertFile) {
			this.clientCertFile = clientCertFile;
		}

		public @Nullable Path getClientKeyFile() {
			return this.clientKeyFile;
		}

		public void setClientKeyFile(@Nullable Path clientKeyFile) {
			this.clientKeyFile = clientKeyFile;
		}

		public Duration getRequestTimeout() {
			return this.requestTimeout;
		}

		public void setRequestTimeout(Duration requestTimeout) {
			this.requestTimeout = requestTimeout;
		}

	}

	/**
	 * Connection to the Consul agent.
	 */
	public static class Consul {

		/**
		 * Host of the Consul agent.
		 */
		private String host = "127.0.0.1";

		/**
		 * HTTP(S) port of the Consul agent.
		 */
		private int port = 8500;

		/**
		 * Scheme of the Consul agent's API: http or https.
		 */
		private String scheme = "http";

		/**
		 * ACL token, sent on every call to the agent.
		 */
		private @Nullable String token;

		/**
		 * PEM file of the certificate authority that signed the agent's certificate, for
		 * https.
		 */
		private @Nullable Path caFile;

		private final Check check = new Check();

		public String getHost() {
			return this.host;
		}

		public void setHost(String host) {
			this.host = host;
		}

		public int getPort() {
			return this.port;
		}

		public void setPort(int port) {
			this.port = port;
		}

		public String getScheme() {
			return this.scheme;
		}

		public void setScheme(String scheme) {
			this.scheme = scheme;
		}

		public @Nullable String getToken() {
			return this.token;
		}

		public void setToken(@Nullable String token) {
			this.token = token;
		}

		public @Nullable Path getCaFile() {
			return this.caFile;
		}

		public void setCaFile(@Nullable Path caFile) {
			this.caFile = caFile;
		}

		public Check getCheck() {
			return this.check;
		}

		/**
		 * The check Consul runs on this instance.
		 */
		public static class Check {

			/**
			 * Kind of check: ttl (this application reports to the agent every ttl / 3) or
			 * http (the agent polls path).
			 */
			private CheckType type = CheckType.TTL;

			/**
			 * Path the agent polls with an http check.
			 */
			private String path = "/actuator/health";

			/**
			 * How often the agent polls with an http check.
			 */
			private Duration interval = Duration.ofSeconds(10);

			/**
			 * How long an instance may stay critical before the agent deregisters it.
			 */
			private Duration deregisterCriticalAfter = Duration.ofMinutes(1);

			public CheckType getType() {
				return this.type;
			}

			public void setType(CheckType type) {
				this.type = type;
			}

			public String getPath() {
				return this.path;
			}

			public void setPath(String path) {
				this.path = path;
			}

			public Duration getInterval() {
				return this.interval;
			}

			public void setInterval(Duration interval) {
				this.interval = interval;
			}

			public Duration getDeregisterCriticalAfter() {
				return this.deregisterCriticalAfter;
			}

			public void setDeregisterCriticalAfter(Duration deregisterCriticalAfter) {
				this.deregisterCriticalAfter = deregisterCriticalAfter;
			}

		}

		/**
		 * The kinds of Consul check.
		 */
		public enum CheckType {

			/** The application passes a TTL check every ttl / 3. */
			TTL,

			/** The agent polls the application's health URL. */
			HTTP

		}

	}

	/**
	 * Load balancing of the services this application calls.
	 */
	public static class LoadBalancer {

		/**
		 * Default strategy: round-robin, random or weighted.
		 */
		private String strategy = LoadBalancers.DEFAULT_STRATEGY;

		/**
		 * Settings per called service, by service name.
		 */
		private Map<String, ServiceLoadBalancer> services = new LinkedHashMap<>();

		public String getStrategy() {
			return this.strategy;
		}

		public void setStrategy(String strategy) {
			this.strategy = strategy;
		}

		public Map<String, ServiceLoadBalancer> getServices() {
			return this.services;
		}

		public void setServices(Map<String, ServiceLoadBalancer> services) {
			this.services = services;
		}

	}

	/**
	 * Load balancing of one called service.
	 */
	public static class ServiceLoadBalancer {

		/**
		 * Strategy for this service: round-robin, random or weighted.
		 */
		private String strategy = LoadBalancers.DEFAULT_STRATEGY;

		public String getStrategy() {
			return this.strategy;
		}

		public void setStrategy(String strategy) {
			this.strategy = strategy;
		}

	}

}
