package dev.discovery.core.testserver;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a test class only with a Docker engine, as decided by {@link DockerCondition}: with
 * {@code CI=true} the class always runs and fails if no engine can be had; otherwise it is
 * skipped, with one line that says how to run it, when no engine is reachable.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(DockerCondition.class)
public @interface RequiresDocker {

}
