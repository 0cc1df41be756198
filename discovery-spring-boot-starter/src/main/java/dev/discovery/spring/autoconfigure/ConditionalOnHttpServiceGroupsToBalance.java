package dev.discovery.spring.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Conditional;

/**
 * Matches when the starter balances HTTP service client groups: Spring Boot binds their
 * {@code spring.http.serviceclient.*} properties and Spring Cloud LoadBalancer does not
 * balance them.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ConditionalOnClass(name = ConditionalOnHttpServiceGroupsToBalance.PROPERTIES)
@ConditionalOnBean(type = ConditionalOnHttpServiceGroupsToBalance.PROPERTIES)
@Conditional(SpringCloudLoadBalancer.Inactive.class)
@interface ConditionalOnHttpServiceGroupsToBalance {

	/**
	 * Spring Boot's bound {@code spring.http.serviceclient.*} properties.
	 */
	String PROPERTIES = "org.springframework.boot.http.client.autoconfigure.service.HttpServiceClientProperties";

}
