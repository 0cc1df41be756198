package dev.discovery.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import dev.discovery.core.DiscoveryClient;
import dev.discovery.core.LoadBalancer;
import dev.discovery.core.LoadBalancers;
import dev.discovery.core.ServiceCall;
import dev.discovery.core.ServiceHandle;
import dev.discovery.core.ServiceInstance;
import dev.discovery.inmemory.InMemoryBackend;
import dev.discovery.spring.cloud.BalancingPolicyLoadBalancer;
import dev.discovery.spring.cloud.CallOutcomeLifecycle;
import dev.discovery.spring.cloud.SpringCloudReactiveDiscoveryClient;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.cloud.client.DefaultServiceInstance;
import org.springframework.cloud.client.loadbalancer.CompletionContext;
import org.springframework.cloud.client.loadbalancer.DefaultRequest;
import org.springframework.cloud.client.loadbalancer.DefaultRequestContext;
import org.springframework.cloud.client.loadbalancer.Request;
import org.springframework.cloud.client.loadbalancer.Response;
import org.springframework.cloud.loadbalancer.cache.DefaultLoadBalancerCacheManager;
import org.springframework.cloud.loadbalancer.cache.LoadBalancerCacheProperties;
import org.springframework.cloud.loadbalancer.core.CachingServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.core.DiscoveryClientServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.core.ReactorLoadBalancer;
import org.springframework.cloud.loadbalancer.core.RoundRobinLoadBalancer;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.support.LoadBalancerClientFactory;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import reactor.core.publisher.Flux;

/**
 * Choosing one instance of {@code n}: each {@link Subject} the way its users call it, all on
 * the same instances (weights 1, 2, 3 in turn), sharing one balancer between the benchmark
 * threads as an application shares it between request threads.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(java.util.concurrent.TimeUnit.NANOSECONDS)
public class ChooseBenchmark {

	static final String SERVICE = "bench";

	private static final int KEYS = 1024;

	/** How many instances the service has. */
	@Param({ "10", "100", "1000" })
	public int n;

	/** What chooses. */
	@Param
	public Subject subject;

	private @Nullable InMemoryBackend backend;

	private @Nullable Chooser chooser;

	/**
	 * Creates the instances and the subject's chooser, and chooses once so that lazily built
	 * state (snapshots, rings, caches) exists before measuring.
	 */
	@Setup(Level.Trial)
	public void setUp() {
		List<ServiceInstance> instances = new ArrayList<>(this.n);
		for (int i = 0; i < this.n; i++) {
			instances.add(ServiceInstance.builder(SERVICE, "10.0." + (i / 250) + "." + (i % 250 + 1), 8080)
				.weight(i % 3 + 1)
				.build());
		}
		this.backend = new InMemoryBackend(Duration.ofMinutes(10));
		this.chooser = this.subject.create(List.copyOf(instances), this.backend);
		this.chooser.choose("warm-up");
	}

	/** Closes the in-memory backend and its registrations. */
	@TearDown(Level.Trial)
	public void tearDown() {
		if (this.backend != null) {
			this.backend.close();
		}
	}

	/**
	 * Chooses one instance.
	 * @param keys the calling thread's request keys
	 * @param blackhole consumes the choice
	 */
	@Benchmark
	public void choose(Keys keys, Blackhole blackhole) {
		blackhole.consume(this.chooser.choose(keys.next()));
	}

	/**
	 * Request keys for {@code consistent-hash}, which the other subjects ignore: a fixed set
	 * of distinct user ids, taken in turn by each thread.
	 */
	@State(Scope.Thread)
	public static class Keys {

		private final String[] keys = new String[KEYS];

		private int next;

		/** Creates the keys. */
		public Keys() {
			for (int i = 0; i < KEYS; i++) {
				this.keys[i] = "user-" + (i * 7919);
			}
		}

		String next() {
			return this.keys[this.next++ & (KEYS - 1)];
		}

	}

	/**
	 * One way to choose an instance.
	 */
	@FunctionalInterface
	interface Chooser {

		/**
		 * Chooses one instance.
		 * @param key a request key
		 * @return the choice, in whatever form the subject returns it
		 */
		@Nullable Object choose(String key);

	}

	/**
	 * What is measured: the naive bar, each of our strategies on a plain list, the tracked
	 * strategies through {@link DiscoveryClient#startCall}, our client end to end by name and
	 * through a kept {@link ServiceHandle}, the anchor, Spring Cloud LoadBalancer's
	 * round-robin, and the choice behind a Gateway request through our bridge and through
	 * Spring Cloud's defaults.
	 */
	public enum Subject {

		/** An atomic counter over an immutable array: the bar. */
		NAIVE {
			@Override
			Chooser create(List<ServiceInstance> instances, InMemoryBackend backend) {
				ServiceInstance[] array = instances.toArray(new ServiceInstance[0]);
				AtomicInteger counter = new AtomicInteger();
				return (key) -> array[Math.floorMod(counter.getAndIncrement(), array.length)];
			}
		},

		/** {@code round-robin} on the list. */
		ROUND_ROBIN("round-robin"),

		/** {@code random} on the list. */
		RANDOM("random"),

		/** {@code weighted} (smooth weighted round-robin) on the list. */
		WEIGHTED("weighted"),

		/** {@code least-requests} on a plain list (no load known: picks follow the weights). */
		LEAST_REQUESTS("least-requests"),

		/** {@code latency} on a plain list (no load known: picks follow the weights). */
		LATENCY("latency"),

		/** {@code consistent-hash} by the request key. */
		CONSISTENT_HASH("consistent-hash"),

		/** {@code least-requests} as users call it: start a tracked call and end it. */
		LEAST_REQUESTS_TRACKED {
			@Override
			Chooser create(List<ServiceInstance> instances, InMemoryBackend backend) {
				return trackedCall(instances, backend, "least-requests");
			}
		},

		/** {@code latency} as users call it: start a tracked call and end it, feeding its latency. */
		LATENCY_TRACKED {
			@Override
			Chooser create(List<ServiceInstance> instances, InMemoryBackend backend) {
				return trackedCall(instances, backend, "latency");
			}
		},

		/** {@link DiscoveryClient#choose(String)}: snapshot lookup by name, then round-robin. */
		CLIENT_CHOOSE {
			@Override
			Chooser create(List<ServiceInstance> instances, InMemoryBackend backend) {
				DiscoveryClient client = client(instances, backend, LoadBalancers.DEFAULT_STRATEGY);
				return (key) -> client.choose(SERVICE);
			}
		},

		/** {@link ServiceHandle#choose()} on a handle kept from {@link DiscoveryClient#service}, then round-robin. */
		CLIENT_SERVICE_CHOOSE {
			@Override
			Chooser create(List<ServiceInstance> instances, InMemoryBackend backend) {
				ServiceHandle handle = client(instances, backend, LoadBalancers.DEFAULT_STRATEGY).service(SERVICE);
				return (key) -> handle.choose();
			}
		},

		/** Spring Cloud LoadBalancer round-robin, {@code choose().block()}, on a fixed supplier. */
		SCLB_FIXED {
			@Override
			Chooser create(List<ServiceInstance> instances, InMemoryBackend backend) {
				return springCloud(fixedSupplier(instances));
			}
		},

		/**
		 * Spring Cloud LoadBalancer round-robin on its default caching supplier (the
		 * {@link DefaultLoadBalancerCacheManager}, used when Caffeine is absent) over the fixed
		 * one, as applications run it.
		 */
		SCLB_CACHING {
			@Override
			Chooser create(List<ServiceInstance> instances, InMemoryBackend backend) {
				return springCloud(caching(fixedSupplier(instances)));
			}
		},

		/**
		 * Our bridge as Spring Cloud Gateway calls it: {@link BalancingPolicyLoadBalancer}
		 * {@code .choose(request).block()} with our client's round-robin, then
		 * {@link CallOutcomeLifecycle#onComplete} with a success, which ends the tracked call.
		 */
		BRIDGE {
			@Override
			Chooser create(List<ServiceInstance> instances, InMemoryBackend backend) {
				DiscoveryClient client = client(instances, backend, LoadBalancers.DEFAULT_STRATEGY);
				return gatewayCall(new BalancingPolicyLoadBalancer(client, SERVICE, null), new CallOutcomeLifecycle());
			}
		},

		/**
		 * Spring Cloud's defaults as Gateway calls them with the bridge's balancer turned off:
		 * {@code RoundRobinLoadBalancer.choose(request).block()} over its caching supplier
		 * over a {@link DiscoveryClientServiceInstanceListSupplier} that reads our client
		 * through our {@link SpringCloudReactiveDiscoveryClient}.
		 */
		SCLB_DEFAULT {
			@Override
			Chooser create(List<ServiceInstance> instances, InMemoryBackend backend) {
				DiscoveryClient client = client(instances, backend, LoadBalancers.DEFAULT_STRATEGY);
				StandardEnvironment environment = new StandardEnvironment();
				environment.getPropertySources()
					.addFirst(new MapPropertySource("client", Map.of(LoadBalancerClientFactory.PROPERTY_NAME, SERVICE)));
				ServiceInstanceListSupplier discovery = new DiscoveryClientServiceInstanceListSupplier(
						new SpringCloudReactiveDiscoveryClient(client), environment);
				return gatewayCall(new RoundRobinLoadBalancer(provider(caching(discovery)), SERVICE), null);
			}
		};

		private final @Nullable String strategy;

		Subject() {
			this.strategy = null;
		}

		Subject(String strategy) {
			this.strategy = strategy;
		}

		/**
		 * Creates this subject's chooser over the instances.
		 * @param instances the instances, an immutable list
		 * @param backend an empty in-memory backend for subjects that need a registry
		 * @return the chooser
		 */
		Chooser create(List<ServiceInstance> instances, InMemoryBackend backend) {
			LoadBalancer balancer = LoadBalancers.byName(requireStrategy());
			return (key) -> balancer.choose(instances, key);
		}

		private String requireStrategy() {
			if (this.strategy == null) {
				throw new IllegalStateException(name() + " must create its own chooser");
			}
			return this.strategy;
		}

		private static Chooser trackedCall(List<ServiceInstance> instances, InMemoryBackend backend, String strategy) {
			DiscoveryClient client = client(instances, backend, strategy);
			return (key) -> {
				ServiceCall call = client.startCall(SERVICE, null);
				call.succeeded();
				return call.instance();
			};
		}

		private static DiscoveryClient client(List<ServiceInstance> instances, InMemoryBackend backend,
				String strategy) {
			instances.forEach(backend::register);
			return new DiscoveryClient(backend, (service) -> LoadBalancers.byName(strategy));
		}

		private static ServiceInstanceListSupplier fixedSupplier(List<ServiceInstance> instances) {
			List<org.springframework.cloud.client.ServiceInstance> theirs = instances.stream()
				.<org.springframework.cloud.client.ServiceInstance>map((instance) -> new DefaultServiceInstance(
						instance.id(), instance.service(), instance.host(), instance.port(), instance.secure()))
				.toList();
			Flux<List<org.springframework.cloud.client.ServiceInstance>> flux = Flux.just(theirs);
			return new ServiceInstanceListSupplier() {

				@Override
				public String getServiceId() {
					return SERVICE;
				}

				@Override
				public Flux<List<org.springframework.cloud.client.ServiceInstance>> get() {
					return flux;
				}

			};
		}

		private static ServiceInstanceListSupplier caching(ServiceInstanceListSupplier delegate) {
			return new CachingServiceInstanceListSupplier(delegate,
					new DefaultLoadBalancerCacheManager(new LoadBalancerCacheProperties()));
		}

		private static ObjectProvider<ServiceInstanceListSupplier> provider(ServiceInstanceListSupplier supplier) {
			return new ObjectProvider<>() {

				@Override
				public ServiceInstanceListSupplier getObject() {
					return supplier;
				}

			};
		}

		private static Chooser springCloud(ServiceInstanceListSupplier supplier) {
			RoundRobinLoadBalancer balancer = new RoundRobinLoadBalancer(provider(supplier), SERVICE);
			return (key) -> balancer.choose().block();
		}

		private static Chooser gatewayCall(ReactorLoadBalancer<org.springframework.cloud.client.ServiceInstance> balancer,
				@Nullable CallOutcomeLifecycle lifecycle) {
			Request<Object> request = new DefaultRequest<>(new DefaultRequestContext());
			return (key) -> {
				Response<org.springframework.cloud.client.ServiceInstance> response = balancer.choose(request).block();
				if (lifecycle != null) {
					lifecycle.onComplete(new CompletionContext<>(CompletionContext.Status.SUCCESS, request, response));
				}
				return response;
			};
		}

	}

}
