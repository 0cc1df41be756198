package dev.discovery.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.beans.factory.annotation.Qualifier;

/**
 * Marks a {@code RestClient.Builder} bean whose clients resolve {@code http://<service>/...}
 * through {@link dev.discovery.core.DiscoveryClient#choose(String)}, and qualifies the
 * injection point that wants such a builder. The starter provides one such builder and
 * applies load balancing to every builder bean declared with this annotation.
 */
@Target({ ElementType.FIELD, ElementType.PARAMETER, ElementType.METHOD, ElementType.TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@Qualifier
public @interface LoadBalanced {

}
