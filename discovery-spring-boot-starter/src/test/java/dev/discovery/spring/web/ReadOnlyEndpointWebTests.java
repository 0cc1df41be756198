package dev.discovery.spring.web;

import dev.discovery.core.InstanceStatus;
import dev.discovery.spring.SelfRegistration;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(classes = GreetingApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.application.name=read-only-greeting", "discovery.backend=inmemory",
				"discovery.instance.host=127.0.0.1", "management.endpoints.web.exposure.include=discovery" })
class ReadOnlyEndpointWebTests {

	@LocalServerPort
	private int port;

	@Autowired
	private SelfRegistration selfRegistration;

	@Test
	void statusCannotBeChangedUnlessAccessIsGranted() {
		RestClient http = RestClient.create("http://127.0.0.1:" + this.port);

		HttpStatusCode read = http.get().uri("/actuator/discovery").exchange((request, response) -> response.getStatusCode());
		HttpStatusCode write = http.post()
			.uri("/actuator/discovery")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"status\":\"OUT_OF_SERVICE\"}")
			.exchange((request, response) -> response.getStatusCode());

		assertThat(read.value()).isEqualTo(200);
		assertThat(write.is4xxClientError()).isTrue();
		assertThat(this.selfRegistration.registration().orElseThrow().instance().status()).isEqualTo(InstanceStatus.UP);
	}

}
