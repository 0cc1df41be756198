package dev.discovery.spring.autoconfigure;

import dev.discovery.spring.LoadBalanced;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.ConfigurationCondition;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.core.type.MethodMetadata;
import org.springframework.util.Assert;
import org.springframework.util.ClassUtils;

/**
 * Matches a {@code @Bean} method of a builder when no bean of the method's return type is
 * declared with {@link LoadBalanced @LoadBalanced} yet. Unlike
 * {@code @ConditionalOnMissingBean(annotation = LoadBalanced.class)}, a
 * {@code @LoadBalanced} bean of another builder type does not count, so the application's
 * {@code @LoadBalanced RestClient.Builder} does not replace the starter's
 * {@code @LoadBalanced WebClient.Builder}, nor the other way round.
 */
class OnMissingLoadBalancedBuilderCondition extends SpringBootCondition implements ConfigurationCondition {

	@Override
	public ConfigurationPhase getConfigurationPhase() {
		return ConfigurationPhase.REGISTER_BEAN;
	}

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		Assert.isInstanceOf(MethodMetadata.class, metadata, "@LoadBalanced builders are @Bean methods");
		String typeName = ((MethodMetadata) metadata).getReturnTypeName();
		ConditionMessage.Builder message = ConditionMessage.forCondition("@LoadBalanced " + typeName);
		ConfigurableListableBeanFactory beanFactory = context.getBeanFactory();
		if (beanFactory == null) {
			return ConditionOutcome.match(message.because("there is no bean factory"));
		}
		Class<?> type = ClassUtils.resolveClassName(typeName, context.getClassLoader());
		for (String name : beanFactory.getBeanNamesForType(type, true, false)) {
			if (beanFactory.findAnnotationOnBean(name, LoadBalanced.class, false) != null) {
				return ConditionOutcome.noMatch(message.found("bean").items(name));
			}
		}
		return ConditionOutcome.match(message.didNotFind("bean").atAll());
	}

}
