package dev.discovery.samples.greeting;

import dev.discovery.spring.DiscoveryEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.security.autoconfigure.SecurityProperties;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Protects the one write this service exposes: {@code POST /actuator/discovery}, which takes
 * the instance out of service or puts it back, needs HTTP basic authentication as a user
 * with the role {@code OPERATOR}. Everything else, the greetings and the actuator's reads,
 * stays open. The operator is Spring Boot's {@code spring.security.user}: name and role in
 * {@code application.yml}, password only from the environment
 * ({@code SPRING_SECURITY_USER_PASSWORD}). Without a password nobody may write, and no
 * password is generated or logged.
 */
@Configuration(proxyBeanMethods = false)
class OperatorSecurity {

	private static final Logger logger = LoggerFactory.getLogger(OperatorSecurity.class);

	@Bean
	SecurityFilterChain operatorOnlyStatusChanges(HttpSecurity http) {
		RequestMatcher statusChange = EndpointRequest.to(DiscoveryEndpoint.class).withHttpMethod(HttpMethod.POST);
		return http
			.authorizeHttpRequests((requests) -> requests.requestMatchers(statusChange)
				.hasRole("OPERATOR")
				.anyRequest()
				.permitAll())
			.httpBasic(Customizer.withDefaults())
			.csrf((csrf) -> csrf.ignoringRequestMatchers(statusChange))
			.sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.build();
	}

	@Bean
	InMemoryUserDetailsManager operators(SecurityProperties properties) {
		SecurityProperties.User operator = properties.getUser();
		if (operator.isPasswordGenerated()) {
			logger.info("No operator password (spring.security.user.password) is set: POST /actuator/discovery is"
					+ " refused to everyone");
			return new InMemoryUserDetailsManager();
		}
		return new InMemoryUserDetailsManager(User.withUsername(operator.getName())
			.password(PasswordEncoderFactories.createDelegatingPasswordEncoder().encode(operator.getPassword()))
			.roles(operator.getRoles().toArray(String[]::new))
			.build());
	}

}
