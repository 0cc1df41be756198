package dev.discovery.interop.consul;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.restclient.autoconfigure.RestClientSsl;
import org.springframework.cloud.client.loadbalancer.LoadBalanced;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.web.client.RestClient;

/**
 * An application as a Spring Cloud Consul user writes it: a {@code @LoadBalanced}
 * {@code RestClient.Builder} of Spring Cloud LoadBalancer that trusts the https instances'
 * certificate through the {@code peers} SSL bundle.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(WhoAmI.class)
class SpringCloudConsulApplication {

	@Bean
	@LoadBalanced
	RestClient.Builder loadBalancedRestClientBuilder(RestClientSsl ssl) {
		return RestClient.builder().apply(ssl.fromBundle("peers"));
	}

}
