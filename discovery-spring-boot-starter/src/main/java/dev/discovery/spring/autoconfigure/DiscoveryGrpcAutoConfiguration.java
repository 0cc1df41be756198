package dev.discovery.spring.autoconfigure;

import dev.discovery.core.DiscoveryClient;
import dev.discovery.grpc.DiscoveryNameResolverProvider;
import dev.discovery.grpc.DiscoveryResolverOptions;
import dev.discovery.spring.SelfRegistration;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.grpc.client.GrpcChannelBuilderCustomizer;
import org.springframework.grpc.server.lifecycle.GrpcServerStartedEvent;

/**
 * gRPC through Spring gRPC: {@code spring.grpc.client.channel.<name>.target:
 * discovery:///<service>} resolves with the application's {@link DiscoveryClient} and
 * balances with the service's policy (the name resolver and the {@code discovery} policy are
 * registered with grpc-java through its provider look-up, before any channel exists); and
 * an application that serves gRPC registers and deregisters around its gRPC server.
 */
@AutoConfiguration(after = DiscoveryAutoConfiguration.class)
@ConditionalOnClass(DiscoveryNameResolverProvider.class)
public class DiscoveryGrpcAutoConfiguration {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(GrpcChannelBuilderCustomizer.class)
	@ConditionalOnBean(DiscoveryClient.class)
	static class ChannelConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "discoveryGrpcChannelCustomizer")
		DiscoveryChannelCustomizer<?> discoveryGrpcChannelCustomizer(DiscoveryClient client,
				ObjectProvider<BalancingPolicies> policies) {
			return new DiscoveryChannelCustomizer<>(
					DiscoveryResolverOptions.of(client).withHashKeyHeaders(BalancingPolicies.hashHeaders(policies)));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(GrpcServerStartedEvent.class)
	@ConditionalOnBean(SelfRegistration.class)
	static class ServerRegistrationConfiguration {

		@Bean
		GrpcServerRegistration discoveryGrpcServerRegistration(SelfRegistration selfRegistration) {
			return new GrpcServerRegistration(selfRegistration);
		}

	}

}
