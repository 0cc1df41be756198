package dev.discovery.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.beans.factory.annotation.Qualifier;

/**
 * Marks a {@code RestClient.Builder} or {@code WebClient.Builder} bean whose clients
 * resolve {@code http://<service>/...} through
 * {@link dev.discovery.core.DiscoveryClient#startCall(String, String)}, and qualifies the
 * injection point that wants such a builder. The starter provides one builder of each
 * type (injected only where this annotation asks for it) and balances every builder bean
 * declared with this annotation: a {@code RestClient.Builder} with the
 * {@link LoadBalancerInterceptor}, a {@code WebClient.Builder} with the
 * {@link LoadBalancerExchangeFilterFunction}. A builder bean that also carries Spring
 * Cloud's {@code @LoadBalanced} is left to Spring Cloud LoadBalancer while it is active,
 * so that its requests are balanced once.
 */
@Target({ ElementType.FIELD, ElementType.PARAMETER, ElementType.METHOD, ElementType.TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@Qualifier
public @interface LoadBalanced {

}
