package dev.discovery.interop.consul;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;

/**
 * An application as a user of the discovery starter writes it: it calls other services
 * through the starter's {@code @LoadBalanced} {@code RestClient.Builder}, which trusts the
 * https instances through {@code spring.http.clients.ssl.bundle}.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(WhoAmI.class)
class DiscoveryApplication {

}
