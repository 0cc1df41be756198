package dev.discovery.spring.autoconfigure;

import java.time.Duration;

import dev.discovery.consul.ConsulBackend;
import dev.discovery.core.BalancingPolicy;
import dev.discovery.core.OutlierDetection;
import dev.discovery.core.Retries;
import dev.discovery.etcd.EtcdBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class LoadBalancingPropertiesTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DiscoveryAutoConfiguration.class))
		.withClassLoader(new FilteredClassLoader(EtcdBackend.class, ConsulBackend.class))
		.withPropertyValues("spring.application.name=caller");

	@Test
	void defaultsMatchTheDocumentedOnes() {
		this.runner.run((context) -> {
			BalancingPolicy policy = context.getBean(BalancingPolicies.class).apply("orders");

			assertThat(policy.outlierDetection()).isEqualTo(OutlierDetection.DEFAULTS);
			assertThat(policy.retries()).isEqualTo(Retries.DEFAULTS);
			assertThat(policy.panicThreshold()).isEqualTo(50);
			assertThat(policy.zoneThreshold()).isEqualTo(50);
			assertThat(policy.zone()).isNull();
			assertThat(context.getBean(BalancingPolicies.class).hashHeader("orders")).isNull();
		});
	}

	@Test
	void serviceSettingsOverrideTheDefaultsAndInheritTheRest() {
		this.runner
			.withPropertyValues("discovery.instance.zone=eu-1", "discovery.load-balancer.consecutive-failures=3",
					"discovery.load-balancer.base-ejection-time=2s", "discovery.load-balancer.panic-threshold=30",
					"discovery.load-balancer.services.Billing.strategy=consistent-hash",
					"discovery.load-balancer.services.Billing.hash-header=X-User",
					"discovery.load-balancer.services.Billing.max-ejection-percent=40",
					"discovery.load-balancer.services.Billing.zone-threshold=75",
					"discovery.load-balancer.services.Billing.max-retries=0",
					"discovery.load-balancer.services.Billing.tags=eu",
					"discovery.load-balancer.services.Billing.metadata.version=2")
			.run((context) -> {
				BalancingPolicies policies = context.getBean(BalancingPolicies.class);
				BalancingPolicy billing = policies.apply("billing");

				assertThat(billing.outlierDetection())
					.isEqualTo(new OutlierDetection(3, Duration.ofSeconds(2), Duration.ofSeconds(300), 40));
				assertThat(billing.panicThreshold()).isEqualTo(30);
				assertThat(billing.zone()).isEqualTo("eu-1");
				assertThat(billing.zoneThreshold()).isEqualTo(75);
				assertThat(billing.retries().maxRetries()).isZero();
				assertThat(billing.filter().tags()).containsExactly("eu");
				assertThat(billing.filter().metadata()).containsExactly(java.util.Map.entry("version", "2"));
				assertThat(policies.hashHeader("billing")).isEqualTo("X-User");
				assertThat(context.getBean(dev.discovery.spring.ServiceLoadBalancers.class).strategyOf("billing"))
					.isEqualTo("consistent-hash");
				assertThat(policies.apply("orders").outlierDetection().maxEjectionPercent()).isEqualTo(10);
				assertThat(policies.hashHeader("orders")).isNull();
			});
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			discovery.load-balancer.panic-threshold=101 | discovery.load-balancer.panic-threshold: Invalid panic threshold '101': must be between 0 and 100
			discovery.load-balancer.zone-threshold=-1 | discovery.load-balancer.zone-threshold: Invalid zone threshold '-1': must be between 0 and 100
			discovery.load-balancer.consecutive-failures=-2 | discovery.load-balancer.consecutive-failures: Invalid consecutive failures '-2'
			discovery.load-balancer.base-ejection-time=0s | discovery.load-balancer.base-ejection-time: Invalid base ejection time 'PT0S': must be a positive duration
			discovery.load-balancer.services.billing.max-ejection-time=10s | discovery.load-balancer.services.billing.max-ejection-time: Invalid max ejection time 'PT10S': must not be below the base ejection time PT30S
			discovery.load-balancer.services.billing.max-ejection-percent=0 | discovery.load-balancer.services.billing.max-ejection-percent: Invalid max ejection percent '0': must be between 1 and 100
			discovery.load-balancer.max-retries=11 | discovery.load-balancer.max-retries: Invalid max retries '11': must be between 0 and 10
			discovery.load-balancer.retry-max-backoff=1ms | discovery.load-balancer.retry-max-backoff: Invalid back-off maximum delay 'PT0.001S': must not be below the initial delay PT0.025S
			discovery.load-balancer.services.billing.metadata.consul-x=1 | discovery.load-balancer.services.billing.metadata: Invalid metadata key 'consul-x'
			discovery.load-balancer.services.billing.strategy=sticky | discovery.load-balancer.services.billing.strategy: Invalid load-balancer strategy 'sticky'
			""")
	void invalidValuesFailStartupNamingPropertyValueAndRule(String property, String message) {
		this.runner.withPropertyValues(property).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause().hasMessageContaining(message);
		});
	}

}
