package dev.discovery.spring.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.discovery.core.Backoff;
import dev.discovery.core.LoadBalancers;
import dev.discovery.core.OutlierDetection;
import dev.discovery.core.Retries;
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
		check(errors, "etcd.request-timeout", () -> Validation.positive("request timeout", properties.etcd.requestTimeout));
		check(errors, "consul.port", () -> Validation.port("port", properties.consul.port));
		Consul.Check consulCheck = properties.consul.check;
		check(errors, "consul.check.interval", () -> Validation.positive("check interval", consulCheck.interval));
		check(errors, "consul.check.deregister-critical-after",
				() -> Validation.positive("deregister-critical-after", consulCheck.deregisterCriticalAfter));
		LoadBalancer loadBalancer = properties.loadBalancer;
		loadBalancer.validate(errors, "load-balancer.");
		loadBalancer.services.forEach((service, settings) -> {
			check(errors, "load-balancer.services", () -> Validation.serviceName(service));
			settings.orElse(loadBalancer).validate(errors, "load-balancer.services." + service + ".");
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
		 * Host other instances use to reach this one. Defaults to the host name, or its IP
		 * address with prefer-ip-address; where the host name resolves to a loopback address
		 * or not at all, or to an address that preferred-networks or ignored-interfaces
		 * rule out, to the first IPv4 (else IPv6) address of a network interface that is up
		 * and that they admit.
		 */
		private @Nullable String host;

		/**
		 * Whether to register the IP address instead of the host name when the host is
		 * detected.
		 */
		private boolean preferIpAddress;

		/**
		 * Networks, as CIDR blocks such as 10.0.0.0/8 or fd00::/8, that a detected host's
		 * address must lie in. When no interface has such an address, the host is detected
		 * as if none were given, with a warning.
		 */
		private List<String> preferredNetworks = new ArrayList<>();

		/**
		 * Regular expressions of network interface names, such as docker0 or veth.*, whose
		 * addresses host detection never registers.
		 */
		private List<String> ignoredInterfaces = new ArrayList<>();

		/**
		 * Port to register. Defaults to the web server's actual port; an application without
		 * a web server registers only when this is set.
		 */
		private @Nullable Integer port;

		/**
		 * Whether the instance is reached over https. Defaults to whether the web server
		 * serves https (server.ssl).
		 */
		private @Nullable Boolean secure;

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
		 * most 512 bytes in UTF-8.
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

		public List<String> getPreferredNetworks() {
			return this.preferredNetworks;
		}

		public void setPreferredNetworks(List<String> preferredNetworks) {
			this.preferredNetworks = preferredNetworks;
		}

		public List<String> getIgnoredInterfaces() {
			return this.ignoredInterfaces;
		}

		public void setIgnoredInterfaces(List<String> ignoredInterfaces) {
			this.ignoredInterfaces = ignoredInterfaces;
		}

		/**
		 * Reads the preferences host detection follows.
		 * @return the preferred networks and ignored interfaces
		 * @throws IllegalArgumentException if one of them is malformed
		 */
		NetworkPreferences networkPreferences() {
			return NetworkPreferences.of(this.preferredNetworks, this.ignoredInterfaces);
		}

		public @Nullable Integer getPort() {
			return this.port;
		}

		public void setPort(@Nullable Integer port) {
			this.port = port;
		}

		public @Nullable Boolean getSecure() {
			return this.secure;
		}

		public void setSecure(@Nullable Boolean secure) {
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
			check(errors, "instance.preferred-networks",
					() -> NetworkPreferences.of(this.preferredNetworks, List.of()));
			check(errors, "instance.ignored-interfaces",
					() -> NetworkPreferences.of(List.of(), this.ignoredInterfaces));
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
		 * While Spring Cloud's auto-registration (Spring Cloud Consul's, for one) is active,
		 * it registers the application instead, whatever this says.
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

		/**
		 * Most connections this application opens to the agent at once, 3 to 10000. Up to 4
		 * serve ordinary calls, one follows the changes of every service beyond the rest, and
		 * each of the rest holds the blocking query of one watched service, or with scheme
		 * https the blocking queries of up to 200, as HTTP/2 streams. Consul refuses more than
		 * 200 connections per client address by default, shared by every application on a
		 * host that calls its local agent.
		 */
		private int maxConnections = 16;

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

		public int getMaxConnections() {
			return this.maxConnections;
		}

		public void setMaxConnections(int maxConnections) {
			this.maxConnections = maxConnections;
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
			 * Path the agent polls with an http check. Defaults to where the actuator's
			 * health endpoint is served, on the management port when management has a port
			 * of its own.
			 */
			private @Nullable String path;

			/**
			 * How often the agent polls with an http check.
			 */
			private Duration interval = Duration.ofSeconds(10);

			/**
			 * Whether the agent's http check skips verifying the certificate of an
			 * application served over https, for certificates the agent cannot verify, such
			 * as self-signed ones.
			 */
			private boolean tlsSkipVerify;

			/**
			 * How many http checks in a row must fail before the agent marks a passing
			 * instance critical, so that one failed or slow answer does not take it out of
			 * every caller's view.
			 */
			private int failuresBeforeCritical = 3;

			/**
			 * How many http checks in a row must succeed before the agent marks a critical
			 * instance passing again.
			 */
			private int successesBeforePassing = 1;

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

			public @Nullable String getPath() {
				return this.path;
			}

			public void setPath(@Nullable String path) {
				this.path = path;
			}

			public Duration getInterval() {
				return this.interval;
			}

			public void setInterval(Duration interval) {
				this.interval = interval;
			}

			public boolean isTlsSkipVerify() {
				return this.tlsSkipVerify;
			}

			public void setTlsSkipVerify(boolean tlsSkipVerify) {
				this.tlsSkipVerify = tlsSkipVerify;
			}

			public int getFailuresBeforeCritical() {
				return this.failuresBeforeCritical;
			}

			public void setFailuresBeforeCritical(int failuresBeforeCritical) {
				this.failuresBeforeCritical = failuresBeforeCritical;
			}

			public int getSuccessesBeforePassing() {
				return this.successesBeforePassing;
			}

			public void setSuccessesBeforePassing(int successesBeforePassing) {
				this.successesBeforePassing = successesBeforePassing;
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
	 * Load balancing of the services this application calls: the defaults, and settings per
	 * service.
	 */
	public static class LoadBalancer extends ServiceLoadBalancer {

		/**
		 * Settings per called service, by service name.
		 */
		private Map<String, ServiceLoadBalancer> services = new LinkedHashMap<>();

		public LoadBalancer() {
			setStrategy(LoadBalancers.DEFAULT_STRATEGY);
			setZoneThreshold(50);
			setPanicThreshold(50);
			setConsecutiveFailures(5);
			setBaseEjectionTime(Duration.ofSeconds(30));
			setMaxEjectionTime(Duration.ofSeconds(300));
			setMaxEjectionPercent(10);
			setMaxRetries(2);
			setRetryBackoff(Duration.ofMillis(25));
			setRetryMaxBackoff(Duration.ofMillis(250));
		}

		public Map<String, ServiceLoadBalancer> getServices() {
			return this.services;
		}

		public void setServices(Map<String, ServiceLoadBalancer> services) {
			this.services = services;
		}

		/**
		 * Returns the complete settings of one service.
		 * @param service the service name, any case
		 * @return the service's settings over the defaults
		 */
		public ServiceLoadBalancer forService(String service) {
			for (Map.Entry<String, ServiceLoadBalancer> entry : this.services.entrySet()) {
				if (entry.getKey().equalsIgnoreCase(service)) {
					return entry.getValue().orElse(this);
				}
			}
			return orElse(this);
		}

	}

	/**
	 * Load balancing of one called service. A setting left unset takes the value of the
	 * same setting under discovery.load-balancer.
	 */
	public static class ServiceLoadBalancer {

		/**
		 * Strategy: round-robin, random, weighted, least-requests (fewest calls in flight per
		 * weight, of two drawn by weight), latency (lowest peak-EWMA latency, of two) or
		 * consistent-hash (by the hash-header). Default round-robin.
		 */
		private @Nullable String strategy;

		/**
		 * Request header whose value is the consistent-hash key of a load-balanced RestClient
		 * request. Default none: requests are spread round-robin.
		 */
		private @Nullable String hashHeader;

		/**
		 * Share (percent, 0-100) of the instances in this application's zone
		 * (discovery.instance.zone) that must be available, and at least one, for that zone to
		 * be preferred; below it every zone is used. Default 50.
		 */
		private @Nullable Integer zoneThreshold;

		/**
		 * Share (percent, 0-100) of instances that must be available (not ejected); below it
		 * every UP instance is chosen, ejected or not. 0 never panics. Default 50.
		 */
		private @Nullable Integer panicThreshold;

		/**
		 * Failed calls in a row (connection failures and 5xx responses) that eject an
		 * instance; 0 turns ejection off. Default 5.
		 */
		private @Nullable Integer consecutiveFailures;

		/**
		 * How long a first ejection lasts; each further one lasts this times the number of
		 * ejections, up to max-ejection-time. Default 30s.
		 */
		private @Nullable Duration baseEjectionTime;

		/**
		 * Longest ejection; also how long an instance must stay in rotation for its ejection
		 * count to start over. Default 300s.
		 */
		private @Nullable Duration maxEjectionTime;

		/**
		 * Share (percent, 1-100) of a service's instances that may be ejected at once; one
		 * always may. Default 10.
		 */
		private @Nullable Integer maxEjectionPercent;

		/**
		 * Retries of a failed idempotent call, each on an instance not tried yet in that call,
		 * 0-10. Default 2.
		 */
		private @Nullable Integer maxRetries;

		/**
		 * Back-off before the first retry, doubled for each further one (with jitter, up to
		 * retry-max-backoff). Default 25ms.
		 */
		private @Nullable Duration retryBackoff;

		/**
		 * Longest back-off between retries. Default 250ms.
		 */
		private @Nullable Duration retryMaxBackoff;

		/**
		 * Tags an instance must all have to be chosen. Default none.
		 */
		private List<String> tags = new ArrayList<>();

		/**
		 * Metadata entries an instance must all have, with equal values, to be chosen, for
		 * example version=2. Default none.
		 */
		private Map<String, String> metadata = new LinkedHashMap<>();

		public @Nullable String getStrategy() {
			return this.strategy;
		}

		public void setStrategy(@Nullable String strategy) {
			this.strategy = strategy;
		}

		public @Nullable String getHashHeader() {
			return this.hashHeader;
		}

		public void setHashHeader(@Nullable String hashHeader) {
			this.hashHeader = hashHeader;
		}

		public @Nullable Integer getZoneThreshold() {
			return this.zoneThreshold;
		}

		public void setZoneThreshold(@Nullable Integer zoneThreshold) {
			this.zoneThreshold = zoneThreshold;
		}

		public @Nullable Integer getPanicThreshold() {
			return this.panicThreshold;
		}

		public void setPanicThreshold(@Nullable Integer panicThreshold) {
			this.panicThreshold = panicThreshold;
		}

		public @Nullable Integer getConsecutiveFailures() {
			return this.consecutiveFailures;
		}

		public void setConsecutiveFailures(@Nullable Integer consecutiveFailures) {
			this.consecutiveFailures = consecutiveFailures;
		}

		public @Nullable Duration getBaseEjectionTime() {
			return this.baseEjectionTime;
		}

		public void setBaseEjectionTime(@Nullable Duration baseEjectionTime) {
			this.baseEjectionTime = baseEjectionTime;
		}

		public @Nullable Duration getMaxEjectionTime() {
			return this.maxEjectionTime;
		}

		public void setMaxEjectionTime(@Nullable Duration maxEjectionTime) {
			this.maxEjectionTime = maxEjectionTime;
		}

		public @Nullable Integer getMaxEjectionPercent() {
			return this.maxEjectionPercent;
		}

		public void setMaxEjectionPercent(@Nullable Integer maxEjectionPercent) {
			this.maxEjectionPercent = maxEjectionPercent;
		}

		public @Nullable Integer getMaxRetries() {
			return this.maxRetries;
		}

		public void setMaxRetries(@Nullable Integer maxRetries) {
			this.maxRetries = maxRetries;
		}

		public @Nullable Duration getRetryBackoff() {
			return this.retryBackoff;
		}

		public void setRetryBackoff(@Nullable Duration retryBackoff) {
			this.retryBackoff = retryBackoff;
		}

		public @Nullable Duration getRetryMaxBackoff() {
			return this.retryMaxBackoff;
		}

		public void setRetryMaxBackoff(@Nullable Duration retryMaxBackoff) {
			this.retryMaxBackoff = retryMaxBackoff;
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

		/**
		 * Returns these settings with every unset one taken from the defaults.
		 * @param defaults the settings under discovery.load-balancer
		 * @return new, complete settings
		 */
		ServiceLoadBalancer orElse(ServiceLoadBalancer defaults) {
			ServiceLoadBalancer effective = new ServiceLoadBalancer();
			effective.strategy = or(this.strategy, defaults.strategy);
			effective.hashHeader = or(this.hashHeader, defaults.hashHeader);
			effective.zoneThreshold = or(this.zoneThreshold, defaults.zoneThreshold);
			effective.panicThreshold = or(this.panicThreshold, defaults.panicThreshold);
			effective.consecutiveFailures = or(this.consecutiveFailures, defaults.consecutiveFailures);
			effective.baseEjectionTime = or(this.baseEjectionTime, defaults.baseEjectionTime);
			effective.maxEjectionTime = or(this.maxEjectionTime, defaults.maxEjectionTime);
			effective.maxEjectionPercent = or(this.maxEjectionPercent, defaults.maxEjectionPercent);
			effective.maxRetries = or(this.maxRetries, defaults.maxRetries);
			effective.retryBackoff = or(this.retryBackoff, defaults.retryBackoff);
			effective.retryMaxBackoff = or(this.retryMaxBackoff, defaults.retryMaxBackoff);
			effective.tags = this.tags.isEmpty() ? defaults.tags : this.tags;
			effective.metadata = this.metadata.isEmpty() ? defaults.metadata : this.metadata;
			return effective;
		}

		void validate(Errors errors, String prefix) {
			check(errors, prefix + "strategy", () -> LoadBalancers.byName(this.strategy));
			check(errors, prefix + "zone-threshold",
					() -> Validation.between("zone threshold", require(this.zoneThreshold), 0, 100));
			check(errors, prefix + "panic-threshold",
					() -> Validation.between("panic threshold", require(this.panicThreshold), 0, 100));
			check(errors, prefix + "consecutive-failures", () -> Validation.between("consecutive failures",
					require(this.consecutiveFailures), 0, Integer.MAX_VALUE));
			check(errors, prefix + "base-ejection-time",
					() -> Validation.positive("base ejection time", this.baseEjectionTime));
			check(errors, prefix + "max-ejection-time", () -> outlierDetection());
			check(errors, prefix + "max-ejection-percent", () -> Validation.between("max ejection percent",
					require(this.maxEjectionPercent), 1, 100));
			check(errors, prefix + "max-retries",
					() -> Validation.between("max retries", require(this.maxRetries), 0, 10));
			check(errors, prefix + "retry-backoff", () -> Validation.positive("back-off initial delay", this.retryBackoff));
			check(errors, prefix + "retry-max-backoff", () -> retries());
			check(errors, prefix + "tags", () -> Validation.tags(this.tags));
			check(errors, prefix + "metadata", () -> Validation.metadata(this.metadata));
		}

		OutlierDetection outlierDetection() {
			return new OutlierDetection(require(this.consecutiveFailures), require(this.baseEjectionTime),
					require(this.maxEjectionTime), require(this.maxEjectionPercent));
		}

		Retries retries() {
			return new Retries(require(this.maxRetries), new Backoff(require(this.retryBackoff), require(this.retryMaxBackoff)));
		}

		private static <T> @Nullable T or(@Nullable T value, @Nullable T fallback) {
			return (value != null) ? value : fallback;
		}

		private static <T> T require(@Nullable T value) {
			if (value == null) {
				throw new IllegalArgumentException("must be set");
			}
			return value;
		}

	}

}
