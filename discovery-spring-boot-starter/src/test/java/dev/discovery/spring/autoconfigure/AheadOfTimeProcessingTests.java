package dev.discovery.spring.autoconfigure;

import java.util.function.Consumer;

import dev.discovery.core.DiscoveryBackend;
import dev.discovery.core.DiscoveryClient;
import dev.discovery.core.ServiceInstance;
import dev.discovery.spring.LoadBalanced;
import dev.discovery.spring.LoadBalancerExchangeFilterFunction;
import dev.discovery.spring.LoadBalancerInterceptor;
import org.junit.jupiter.api.Test;

import org.springframework.aot.test.generate.TestGenerationContext;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.annotation.AnnotationConfigUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.aot.ApplicationContextAotGenerator;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.test.tools.CompileWithForkedClassLoader;
import org.springframework.core.test.tools.TestCompiler;
import org.springframework.javapoet.ClassName;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

import static dev.discovery.spring.autoconfigure.BuilderContents.filtersOf;
import static dev.discovery.spring.autoconfigure.BuilderContents.interceptorsOf;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The starter's configuration processed ahead of time, as Spring Boot's AOT build does
 * (the processing a native image also starts from): the generated code compiles, and the
 * context it initializes discovers instances, balances the builders declared
 * {@link LoadBalanced @LoadBalanced} and leaves the others alone.
 */
class AheadOfTimeProcessingTests {

	private static final String[] PROPERTIES = { "discovery.backend=inmemory", "discovery.registration.enabled=false",
			"spring.application.name=aot" };

	@Test
	@CompileWithForkedClassLoader
	void processedContextDiscoversAndBalancesLoadBalancedBuilders() {
		runProcessed((context) -> {
			DiscoveryClient client = context.getBean(DiscoveryClient.class);
			ServiceInstance instance = ServiceInstance.builder("orders-aot", "10.0.0.1", 8080).id("orders-aot-1").build();
			context.getBean(DiscoveryBackend.class).register(instance);
			assertThat(client.choose("orders-aot")).contains(instance);
			LoadBalancerInterceptor interceptor = context.getBean(LoadBalancerInterceptor.class);
			assertThat(interceptorsOf(context.getBean("userLoadBalanced", RestClient.Builder.class)))
				.containsExactly(interceptor);
			assertThat(interceptorsOf(context.getBean("userPlain", RestClient.Builder.class))).isEmpty();
			assertThat(filtersOf(context.getBean("userLoadBalancedWeb", WebClient.Builder.class)))
				.containsExactly(context.getBean(LoadBalancerExchangeFilterFunction.class));
		});
	}

	private void runProcessed(Consumer<GenericApplicationContext> assertions) {
		TestGenerationContext generation = new TestGenerationContext(AheadOfTimeProcessingTests.class);
		ClassName initializerName;
		try (GenericApplicationContext source = context()) {
			initializerName = new ApplicationContextAotGenerator().processAheadOfTime(source, generation);
		}
		generation.writeGeneratedContent();
		TestCompiler.forSystem().with(generation).compile((compiled) -> {
			try (GenericApplicationContext processed = new GenericApplicationContext()) {
				TestPropertyValues.of(PROPERTIES).applyTo(processed);
				@SuppressWarnings("unchecked")
				ApplicationContextInitializer<GenericApplicationContext> initializer = compiled
					.getInstance(ApplicationContextInitializer.class, initializerName.toString());
				initializer.initialize(processed);
				processed.refresh();
				assertions.accept(processed);
			}
		});
	}

	private static GenericApplicationContext context() {
		GenericApplicationContext context = new GenericApplicationContext();
		TestPropertyValues.of(PROPERTIES).applyTo(context);
		AnnotationConfigUtils.registerAnnotationConfigProcessors(context);
		context.registerBean(Application.class);
		return context;
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ DiscoveryAutoConfiguration.class, LoadBalancedRestClientAutoConfiguration.class,
			LoadBalancedWebClientAutoConfiguration.class })
	@Import(ActuatorAndClientAutoConfigurationTests.UserBuilders.class)
	static class Application {

		@Bean
		@LoadBalanced
		WebClient.Builder userLoadBalancedWeb() {
			return WebClient.builder();
		}

	}

}
