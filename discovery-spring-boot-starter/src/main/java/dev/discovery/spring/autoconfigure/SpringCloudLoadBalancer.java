package dev.discovery.spring.autoconfigure;

import java.lang.annotation.Annotation;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.ClassUtils;

/**
 * Whether Spring Cloud LoadBalancer balances the application's clients: its module
 * ({@code spring-cloud-loadbalancer}, with {@code ReactorLoadBalancer}) is on the
 * classpath and {@code spring.cloud.loadbalancer.enabled} is not {@code false}. Then
 * Spring Cloud balances the HTTP service client groups and every builder that carries its
 * own {@code @LoadBalanced}, and the starter leaves both to it. Spring Cloud Commons alone
 * balances nothing, so it does not count.
 */
final class SpringCloudLoadBalancer {

	static final String REACTOR_LOAD_BALANCER = "org.springframework.cloud.loadbalancer.core.ReactorLoadBalancer";

	static final String LOAD_BALANCED = "org.springframework.cloud.client.loadbalancer.LoadBalanced";

	static final String ENABLED = "spring.cloud.loadbalancer.enabled";

	private SpringCloudLoadBalancer() {
	}

	/**
	 * Returns whether Spring Cloud LoadBalancer balances the application's clients.
	 * @param environment the application's environment
	 * @param classLoader the application's class loader
	 * @return {@code true} when it is on the classpath and not disabled
	 */
	static boolean balances(Environment environment, @Nullable ClassLoader classLoader) {
		return ClassUtils.isPresent(REACTOR_LOAD_BALANCER, classLoader)
				&& environment.getProperty(ENABLED, Boolean.class, true);
	}

	/**
	 * Returns Spring Cloud's {@code @LoadBalanced} while Spring Cloud LoadBalancer balances
	 * the builders that carry it.
	 * @param environment the application's environment
	 * @param classLoader the application's class loader
	 * @return the annotation type, or {@code null} when Spring Cloud balances nothing
	 */
	@SuppressWarnings("unchecked")
	static @Nullable Class<? extends Annotation> loadBalancedAnnotation(Environment environment,
			@Nullable ClassLoader classLoader) {
		if (!balances(environment, classLoader) || !ClassUtils.isPresent(LOAD_BALANCED, classLoader)) {
			return null;
		}
		return (Class<? extends Annotation>) ClassUtils.resolveClassName(LOAD_BALANCED, classLoader);
	}

	/**
	 * Matches when Spring Cloud LoadBalancer does not balance the application's clients.
	 */
	static final class Inactive extends SpringBootCondition {

		@Override
		public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
			ConditionMessage.Builder message = ConditionMessage.forCondition("Spring Cloud LoadBalancer inactive");
			if (!ClassUtils.isPresent(REACTOR_LOAD_BALANCER, context.getClassLoader())) {
				return ConditionOutcome.match(message.didNotFind("class").items(REACTOR_LOAD_BALANCER));
			}
			if (!balances(context.getEnvironment(), context.getClassLoader())) {
				return ConditionOutcome.match(message.because(ENABLED + " is false"));
			}
			return ConditionOutcome.noMatch(message.because("Spring Cloud LoadBalancer balances HTTP service groups"));
		}

	}

}
