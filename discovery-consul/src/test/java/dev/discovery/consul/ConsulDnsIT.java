package dev.discovery.consul;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.UUID;

import javax.naming.Context;
import javax.naming.NameNotFoundException;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.directory.InitialDirContext;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import dev.discovery.consul.testserver.ConsulAgentExtension;
import dev.discovery.core.InstanceStatus;
import dev.discovery.core.Registration;
import dev.discovery.core.ServiceInstance;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a client that is not ours sees of our instances on a real agent: Consul's DNS
 * interface (SRV records of {@code <service>.service.consul}) and {@code ?passing} health
 * queries leave out an instance that is {@code STARTING} or {@code OUT_OF_SERVICE}, and
 * return it once it is {@code UP}.
 */
class ConsulDnsIT {

	@RegisterExtension
	static final ConsulAgentExtension consul = ConsulAgentExtension.own();

	private final HttpClient http = HttpClient.newHttpClient();

	@Test
	void onlyUpInstancesAreAnsweredByDnsAndPassingQueries() throws Exception {
		String service = "dns-" + UUID.randomUUID().toString().substring(0, 8);
		try (ConsulBackend backend = ConsulBackend.builder().host(consul.host()).port(consul.port()).build()) {
			Registration registration = backend.register(
					ServiceInstance.builder(service, "127.0.0.1", 7301).status(InstanceStatus.STARTING).build());
			awaitSeenAs(backend, service, InstanceStatus.STARTING);
			assertThat(dnsPorts(service)).isEmpty();
			assertThat(passingPorts(service)).isEmpty();

			registration.setStatus(InstanceStatus.UP);
			awaitAnswered(service, List.of(7301));

			registration.setStatus(InstanceStatus.OUT_OF_SERVICE);
			awaitSeenAs(backend, service, InstanceStatus.OUT_OF_SERVICE);
			awaitAnswered(service, List.of());

			registration.setStatus(InstanceStatus.UP);
			awaitAnswered(service, List.of(7301));
		}
	}

	private void awaitAnswered(String service, List<Integer> ports) {
		Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
			assertThat(dnsPorts(service)).isEqualTo(ports);
			assertThat(passingPorts(service)).isEqualTo(ports);
		});
	}

	private static void awaitSeenAs(ConsulBackend backend, String service, InstanceStatus status) {
		Awaitility.await()
			.atMost(Duration.ofSeconds(10))
			.until(() -> backend.instances(service).stream().map(ServiceInstance::status).toList(),
					(statuses) -> statuses.equals(List.of(status)));
	}

	private List<Integer> dnsPorts(String service) throws NamingException {
		Hashtable<String, String> environment = new Hashtable<>();
		environment.put(Context.INITIAL_CONTEXT_FACTORY, "com.sun.jndi.dns.DnsContextFactory");
		environment.put(Context.PROVIDER_URL, "dns://127.0.0.1:" + consul.dnsPort());
		InitialDirContext dns = new InitialDirContext(environment);
		try {
			Attribute records = dns.getAttributes(service + ".service.consul", new String[] { "SRV" }).get("SRV");
			List<Integer> ports = new ArrayList<>();
			if (records != null) {
				NamingEnumeration<?> values = records.getAll();
				while (values.hasMore()) {
					String[] fields = values.next().toString().split(" ");
					ports.add(Integer.parseInt(fields[2]));
				}
			}
			return ports;
		}
		catch (NameNotFoundException ex) {
			return List.of();
		}
		finally {
			dns.close();
		}
	}

	private List<Integer> passingPorts(String service) throws Exception {
		HttpResponse<String> response = this.http.send(HttpRequest
			.newBuilder(URI.create("http://" + consul.host() + ":" + consul.port() + "/v1/health/service/" + service
					+ "?passing"))
			.build(), HttpResponse.BodyHandlers.ofString());
		List<Integer> ports = new ArrayList<>();
		for (JsonElement entry : JsonParser.parseString(response.body()).getAsJsonArray()) {
			ports.add(entry.getAsJsonObject().getAsJsonObject("Service").get("Port").getAsInt());
		}
		return ports;
	}

}
