package dev.discovery.etcd;

import java.net.URI;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which endpoints {@link EtcdClients#preload} may read from: only plain {@code http} URLs
 * with a host, and then all of them.
 */
class EtcdClientsTest {

	@Test
	void plainHttpEndpointsAreReadFromAll() {
		assertThat(EtcdClients.plainHttp(List.of("http://10.0.0.1:2379", " http://10.0.0.2:2379 ")))
			.containsExactly(URI.create("http://10.0.0.1:2379"), URI.create("http://10.0.0.2:2379"));
	}

	@Test
	void anyEndpointWithTlsOrThatDoesNotParseMeansNoRead() {
		assertThat(EtcdClients.plainHttp(List.of("http://10.0.0.1:2379", "https://10.0.0.2:2379"))).isEmpty();
		assertThat(EtcdClients.plainHttp(List.of("http://10.0.0.1:2379", "http://bad host:2379"))).isEmpty();
		assertThat(EtcdClients.plainHttp(List.of("10.0.0.1:2379"))).isEmpty();
		assertThat(EtcdClients.plainHttp(List.of())).isEmpty();
	}

}
