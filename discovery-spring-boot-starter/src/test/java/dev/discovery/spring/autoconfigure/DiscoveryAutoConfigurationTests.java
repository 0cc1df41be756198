package dev.discovery.spring.autoconfigure;

import java.time.Duration;
import java.util.List;

import dev.discovery.consul.ConsulBackend;
import dev.discovery.core.DiscoveryBackend;
import dev.discovery.core.DiscoveryClient;
import dev.discovery.core.InstanceStatus;
import dev.discovery.core.Registration;
import dev.discovery.core.ServiceInstance;
import dev.discovery.etcd.EtcdBackend;
import dev.discovery.inmemory.InMemoryBackend;
import dev.discovery.spring.SelfRegistration;
import dev.discovery.spring.ServiceLoadBalancers;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.web.server.Ssl;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

class DiscoveryAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DiscoveryAutoConfiguration.class))
		.withPropertyValues("spring.application.name=orders");

	private final ApplicationContextRunner inMemoryOnly = this.runner
		.withClassLoader(new FilteredClassLoader(EtcdBackend.class, ConsulBackend.class));

	@Test
	void withNoRegistryModuleAutoUsesInMemory() {
		this.inMemoryOnly.run((context) -> {
			assertThat(context).hasSingleBean(DiscoveryBackend.class)
				.hasSingleBean(DiscoveryClient.class)
				.hasSingleBean(ServiceLoadBalancers.class)
				.hasSingleBean(SelfRegistration.class);
			assertThat(context.getBean(DiscoveryBackend.class)).isInstanceOf(InMemoryBackend.class);
		});
	}

	@Test
	void withOnlyEtcdAutoUsesEtcd() {
		this.runner.withClassLoader(new FilteredClassLoader(ConsulBackend.class))
			.run((context) -> assertThat(context.getBean(DiscoveryBackend.class)).isInstanceOf(EtcdBackend.class));
	}

	@Test
	void withOnlyConsulAutoUsesConsul() {
		this.runner.withClassLoader(new FilteredClassLoader(EtcdBackend.class))
			.run((context) -> assertThat(context.getBean(DiscoveryBackend.class)).isInstanceOf(ConsulBackend.class));
	}

	@Test
	void withBothRegistryModulesAutoFailsNamingTheProperty() {
		this.runner.run((context) -> {
			FailureAnalysis analysis = analyze(context);
			assertThat(analysis.getDescription()).contains("discovery.backend")
				.contains("'auto' found several registry modules on the classpath: [consul, etcd]");
			assertThat(analysis.getAction()).contains("Set discovery.backend to etcd or consul");
		});
	}

	@Test
	void explicitChoiceWinsOverAuto() {
		this.runner.withPropertyValues("discovery.backend=inmemory")
			.run((context) -> assertThat(context.getBean(DiscoveryBackend.class)).isInstanceOf(InMemoryBackend.class));
		this.runner.withPropertyValues("discovery.backend=etcd")
			.run((context) -> assertThat(context.getBean(DiscoveryBackend.class)).isInstanceOf(EtcdBackend.class));
	}

	@Test
	void choosingAMissingModuleFailsNamingTheDependency() {
		this.inMemoryOnly.withPropertyValues("discovery.backend=consul").run((context) -> {
			FailureAnalysis analysis = analyze(context);
			assertThat(analysis.getDescription())
				.contains("discovery.backend: 'consul' is selected but its module is not on the classpath");
			assertThat(analysis.getAction()).contains("Add the dependency dev.discovery:discovery-consul");
		});
	}

	@Test
	void discoveryCanBeTurnedOff() {
		this.inMemoryOnly.withPropertyValues("discovery.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(DiscoveryBackend.class)
				.doesNotHaveBean(DiscoveryClient.class)
				.doesNotHaveBean(SelfRegistration.class));
	}

	@Test
	void registrationCanBeTurnedOffWhileDiscoveryStays() {
		this.inMemoryOnly.withPropertyValues("discovery.registration.enabled=false")
			.run((context) -> assertThat(context).hasSingleBean(DiscoveryClient.class)
				.doesNotHaveBean(SelfRegistration.class));
	}

	@Test
	void userBeansReplaceTheStartersOnes() {
		this.runner.withUserConfiguration(OwnBeans.class).run((context) -> {
			assertThat(context.getBean(DiscoveryBackend.class)).isSameAs(context.getBean("ownBackend"));
			assertThat(context.getBean(DiscoveryClient.class)).isSameAs(context.getBean("ownClient"));
		});
	}

	@Test
	void connectionDetailsBeanReplacesTheProperties() {
		this.runner.withClassLoader(new FilteredClassLoader(ConsulBackend.class))
			.withUserConfiguration(OwnEtcdConnection.class)
			.run((context) -> assertThat(context.getBean(EtcdConnectionDetails.class).getEndpoints())
				.containsExactly("http://127.0.0.1:23790"));
	}

	@Test
	void propertiesBackedConnectionDetailsByDefault() {
		this.runner.withPropertyValues("discovery.backend=consul", "discovery.consul.host=consul.internal",
				"discovery.consul.port=8501", "discovery.consul.scheme=https", "discovery.etcd.endpoints=http://e1:2379,http://e2:2379")
			.run((context) -> {
				ConsulConnectionDetails consul = context.getBean(ConsulConnectionDetails.class);
				assertThat(consul.getHost()).isEqualTo("consul.internal");
				assertThat(consul.getPort()).isEqualTo(8501);
				assertThat(consul.getScheme()).isEqualTo("https");
				assertThat(context.getBean(EtcdConnectionDetails.class).getEndpoints()).containsExactly("http://e1:2379",
						"http://e2:2379");
			});
	}

	@Test
	void perServiceStrategiesAreApplied() {
		this.inMemoryOnly
			.withPropertyValues("discovery.load-balancer.strategy=random",
					"discovery.load-balancer.services.billing.strategy=weighted")
			.run((context) -> {
				ServiceLoadBalancers balancers = context.getBean(ServiceLoadBalancers.class);
				assertThat(balancers.strategyOf("billing")).isEqualTo("weighted");
				assertThat(balancers.strategyOf("BILLING")).isEqualTo("weighted");
				assertThat(balancers.strategyOf("orders")).isEqualTo("random");
			});
	}

	@Test
	void nonWebApplicationRegistersOnlyWithAConfiguredPort() {
		this.inMemoryOnly.run((context) -> assertThat(context.getBean(SelfRegistration.class).registration()).isEmpty());
		this.inMemoryOnly.withPropertyValues("discovery.instance.port=9090", "discovery.instance.host=10.1.2.3",
				"discovery.instance.metadata.version=2", "discovery.instance.zone=eu-1")
			.run((context) -> {
				Registration registration = context.getBean(SelfRegistration.class).registration().orElseThrow();
				ServiceInstance instance = registration.instance();
				assertThat(instance.service()).isEqualTo("orders");
				assertThat(instance.id()).isEqualTo("orders-10.1.2.3-9090");
				assertThat(instance.port()).isEqualTo(9090);
				assertThat(instance.zone()).isEqualTo("eu-1");
				assertThat(instance.metadata()).containsEntry("version", "2");
				assertThat(instance.status()).isEqualTo(InstanceStatus.STARTING);
				assertThat(context.getBean(DiscoveryBackend.class).instances("orders")).contains(instance);
			});
	}

	@Test
	void registersHttpsWhenTheWebServerServesItUnlessSecureIsSet() {
		ApplicationContextRunner registered = this.inMemoryOnly.withPropertyValues("discovery.instance.port=9443",
				"discovery.instance.host=10.1.2.3");
		registered.run((context) -> assertThat(registeredInstance(context).secure()).isFalse());
		registered.withPropertyValues("server.ssl.bundle=server")
			.run((context) -> assertThat(registeredInstance(context).secure()).isTrue());
		registered.withPropertyValues("server.ssl.bundle=server", "server.ssl.enabled=false")
			.run((context) -> assertThat(registeredInstance(context).secure()).isFalse());
		registered.withPropertyValues("server.ssl.bundle=server", "discovery.instance.secure=false")
			.run((context) -> assertThat(registeredInstance(context).secure()).isFalse());
		registered.withPropertyValues("discovery.instance.secure=true")
			.run((context) -> assertThat(registeredInstance(context).secure()).isTrue());
		registered.withClassLoader(new FilteredClassLoader(EtcdBackend.class, ConsulBackend.class, Ssl.class))
			.withPropertyValues("server.ssl.bundle=server")
			.run((context) -> assertThat(registeredInstance(context).secure()).isFalse());
	}

	private static ServiceInstance registeredInstance(AssertableApplicationContext context) {
		return context.getBean(SelfRegistration.class).registration().orElseThrow().instance();
	}

	@Test
	void stoppingTheContextDeregisters() {
		this.inMemoryOnly.withPropertyValues("spring.application.name=stopping", "discovery.instance.port=9091")
			.run((context) -> {
				Registration registration = context.getBean(SelfRegistration.class).registration().orElseThrow();
				DiscoveryBackend backend = context.getBean(DiscoveryBackend.class);

				context.stop();

				assertThat(registration.state()).isEqualTo(dev.discovery.core.RegistrationState.CLOSED);
				assertThat(backend.instances("stopping")).isEmpty();
			});
	}

	@Test
	void missingServiceNameFailsSayingWhatToSet() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(DiscoveryAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader(EtcdBackend.class, ConsulBackend.class))
			.withPropertyValues("discovery.instance.port=9092")
			.run((context) -> {
				FailureAnalysis analysis = analyze(context);
				assertThat(analysis.getDescription()).contains("discovery.instance.service: no service name");
				assertThat(analysis.getAction()).contains("Set spring.application.name or discovery.instance.service");
			});
	}

	@Test
	void invalidPropertiesFailNamingPropertyValueAndRule() {
		assertStartupFailure("discovery.instance.port=70000",
				"discovery.instance.port: Invalid port '70000': must be between 1 and 65535");
		assertStartupFailure("discovery.instance.service=a/b",
				"discovery.instance.service: Invalid service name 'a/b'");
		assertStartupFailure("discovery.instance.weight=0",
				"discovery.instance.weight: Invalid weight '0': must be between 1 and 1000");
		assertStartupFailure("discovery.instance.host=http://me",
				"discovery.instance.host: Invalid host 'http://me'");
		assertStartupFailure("discovery.instance.metadata.consul-x=1",
				"discovery.instance.metadata: Invalid metadata key 'consul-x'");
		assertStartupFailure("discovery.registration.ttl=0s",
				"discovery.registration.ttl: Invalid ttl 'PT0S': must be a positive duration");
		assertStartupFailure("discovery.registration.ttl=-5s",
				"discovery.registration.ttl: Invalid ttl 'PT-5S': must be a positive duration");
		assertStartupFailure("discovery.load-balancer.strategy=fastest",
				"discovery.load-balancer.strategy: Invalid load-balancer strategy 'fastest'");
		assertStartupFailure("discovery.load-balancer.services.billing.strategy=sticky",
				"discovery.load-balancer.services.billing.strategy: Invalid load-balancer strategy 'sticky'");
		assertStartupFailure("discovery.consul.port=0", "discovery.consul.port: Invalid port '0'");
	}

	@Test
	void invalidEnumValueNamesTheProperty() {
		this.inMemoryOnly.withPropertyValues("discovery.backend=zookeeper").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("zookeeper");
			assertThat(context.getStartupFailure())
				.hasStackTraceContaining("Failed to bind properties under 'discovery.backend'");
		});
	}

	private void assertStartupFailure(String property, String message) {
		this.inMemoryOnly.withPropertyValues(property).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause().hasMessageContaining(message);
		});
	}

	private static FailureAnalysis analyze(AssertableApplicationContext context) {
		assertThat(context).hasFailed();
		FailureAnalysis analysis = new DiscoveryFailureAnalyzer().analyze(context.getStartupFailure());
		assertThat(analysis).as("failure analysis of %s", context.getStartupFailure()).isNotNull();
		return analysis;
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnBeans {

		@Bean
		DiscoveryBackend ownBackend() {
			return new InMemoryBackend(Duration.ofSeconds(5));
		}

		@Bean
		DiscoveryClient ownClient(DiscoveryBackend backend) {
			return new DiscoveryClient(backend);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnEtcdConnection {

		@Bean
		EtcdConnectionDetails ownEtcdConnection() {
			return () -> List.of("http://127.0.0.1:23790");
		}

	}

}
