package dev.discovery.spring.cloud;

import org.springframework.test.context.TestPropertySource;

/**
 * The Spring Cloud clients' flow on the in-memory backend.
 */
@TestPropertySource(properties = "discovery.backend=inmemory")
class SpringCloudClientsTests extends SpringCloudClientsFlow {

}
