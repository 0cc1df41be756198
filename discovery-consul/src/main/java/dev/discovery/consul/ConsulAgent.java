package dev.discovery.consul;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

import com.ecwid.consul.ConsulException;
import com.ecwid.consul.transport.HttpResponse;
import com.ecwid.consul.v1.ConsulClient;
import com.ecwid.consul.v1.ConsulRawClient;
import com.ecwid.consul.v1.OperationException;
import com.ecwid.consul.v1.QueryParams;
import com.google.gson.Gson;
import com.google.gson.JsonParseException;
import com.google.gson.reflect.TypeToken;
import dev.discovery.consul.StatusMapping.TtlUpdate;
import dev.discovery.core.ServiceInstance;
import org.apache.http.conn.ConnectTimeoutException;
import org.apache.http.impl.client.CloseableHttpClient;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;

/**
 * The calls this backend makes to one Consul agent, over one HTTP client. consul-api's
 * typed client does every call whose model is complete; registration and health reads go
 * through consul-api's raw client with {@link ConsulJson}, because its models lack
 * {@code Weights} and the initial check status. Every failure becomes a
 * {@link ConsulCallException} that names the agent, the operation and the reason, never
 * the token, and is recorded in {@link AgentHealth}; a call that timed out says after how
 * long. Thread-safe.
 */
final class ConsulAgent implements AutoCloseable {

	private static final Gson gson = new Gson();

	private static final Type HEALTH_ENTRIES = new TypeToken<List<ConsulJson.HealthEntry>>() {
	}.getType();

	private final CloseableHttpClient httpClient;

	private final ConsulRawClient rawClient;

	private final ConsulClient client;

	private final AgentHealth health;

	private final AgentFailures failures;

	private final Duration connectTimeout;

	private final Duration readTimeout;

	private final Runnable abort;

	private volatile boolean closed;

	ConsulAgent(CloseableHttpClient httpClient, ConsulRawClient rawClient, AgentHealth health, AgentFailures failures,
			Duration connectTimeout, Duration readTimeout, Runnable abort) {
		this.httpClient = httpClient;
		this.rawClient = rawClient;
		this.client = new ConsulClient(rawClient);
		this.health = health;
		this.failures = failures;
		this.connectTimeout = connectTimeout;
		this.readTimeout = readTimeout;
		this.abort = abort;
	}

	void register(ConsulJson.ServiceRegistration registration) {
		String operation = "register instance '" + registration.id() + "' of service '" + registration.name() + "'";
		call(operation,
				() -> ok(this.rawClient.makePutRequest("/v1/agent/service/register", gson.toJson(registration))));
	}

	void deregister(String serviceId) {
		call("deregister instance '" + serviceId + "'", () -> this.client.agentServiceDeregister(serviceId));
	}

	void updateTtl(String checkId, TtlUpdate update) {
		String operation = "update TTL check '" + checkId + "'";
		call(operation, () -> switch (update) {
			case PASS -> this.client.agentCheckPass(checkId);
			case FAIL -> this.client.agentCheckFail(checkId);
		});
	}

	void maintenance(String serviceId, boolean enable, String reason) {
		call("set maintenance mode of instance '" + serviceId + "'",
				() -> this.client.agentServiceSetMaintenance(serviceId, enable, reason));
	}

	boolean knowsService(String serviceId) {
		return call("list the agent's services", () -> this.client.getAgentServices().getValue().containsKey(serviceId));
	}

	/**
	 * Reads the instances of a service in every status; with a positive index, a blocking
	 * query that returns when the service changes after that index or the wait ends.
	 */
	HealthSnapshot health(String service, long index, long waitSeconds) {
		return call("read the health of service '" + service + "'", () -> {
			HttpResponse response = ok(this.rawClient.makeGetRequest("/v1/health/service/" + service,
					new QueryParams(waitSeconds, index)));
			return new HealthSnapshot(consulIndex(response), instances(response.getContent()));
		});
	}

	/**
	 * Reads the state of every check in the datacenter; with a positive index, a blocking
	 * query that returns when any check is added, changed or removed after that index, or
	 * the wait ends.
	 */
	ChecksSnapshot checks(long index, long waitSeconds) {
		return call("read the state of every check", () -> {
			HttpResponse response = ok(
					this.rawClient.makeGetRequest("/v1/health/state/any", new QueryParams(waitSeconds, index)));
			return new ChecksSnapshot(consulIndex(response),
					CheckStates.fingerprints(CheckRow.readAll(response.getContent())));
		});
	}

	Set<String> services() {
		return call("read the catalog's services", () -> {
			Set<String> names = new TreeSet<>();
			present(this.client.getCatalogServices(QueryParams.DEFAULT).getValue()).keySet()
				.forEach((name) -> names.add(name.toLowerCase(Locale.ROOT)));
			return Set.copyOf(names);
		});
	}

	/** The address of the cluster's leader, or null when the agent knows none. */
	@Nullable String leader() {
		String leader = call("read the leader", () -> this.client.getStatusLeader().getValue());
		return (leader == null || leader.isEmpty()) ? null : leader;
	}

	/**
	 * Closes the HTTP client, which also aborts a blocking query in flight; that abort is not
	 * recorded as the agent being unreachable.
	 */
	@Override
	public void close() {
		this.closed = true;
		this.abort.run();
		try {
			this.httpClient.close();
		}
		catch (IOException ex) {
			// the connections are released either way
		}
	}

	private <T> T call(String operation, Supplier<T> call) {
		this.health.requested();
		try {
			T result = call.get();
			this.health.succeeded(operation);
			return result;
		}
		catch (OperationException ex) {
			throw this.failures.refused(operation, ex.getStatusCode(), String.valueOf(ex.getStatusContent()), ex);
		}
		catch (JsonParseException ex) {
			throw this.failures.unreadable(operation, String.valueOf(ex.getMessage()), ex);
		}
		catch (JacksonException ex) {
			throw this.failures.unreadable(operation, ex.getOriginalMessage(), ex);
		}
		catch (ConsulException ex) {
			Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
			throw this.failures.unreachable(operation, cause,
					(cause instanceof InterruptedIOException) ? timeout(cause) : null, this.closed);
		}
	}

	private Duration timeout(Throwable timedOut) {
		return (timedOut instanceof ConnectTimeoutException) ? this.connectTimeout : this.readTimeout;
	}

	/**
	 * Reads an answer of the health endpoint.
	 * @throws JsonParseException if it is not a JSON array of health entries
	 */
	static List<ServiceInstance> instances(String json) {
		return InstanceMapping.instances(present(gson.fromJson(json, HEALTH_ENTRIES)));
	}

	/** An answer that is valid JSON of an array or object is never null, even when empty. */
	private static <T> T present(@Nullable T parsed) {
		if (parsed == null) {
			throw new JsonParseException("the answer was empty");
		}
		return parsed;
	}

	private static long consulIndex(HttpResponse response) {
		return (response.getConsulIndex() != null) ? response.getConsulIndex() : 0;
	}

	private static HttpResponse ok(HttpResponse response) {
		if (response.getStatusCode() != 200) {
			throw new OperationException(response);
		}
		return response;
	}

	/**
	 * One answer of the health endpoint.
	 * @param index the index to pass to the next blocking query
	 * @param instances the instances, in every status
	 */
	record HealthSnapshot(long index, List<ServiceInstance> instances) {
	}

	/**
	 * One answer of the check-state endpoint.
	 * @param index the index to pass to the next blocking query
	 * @param services the {@link CheckStates} fingerprint of each service's checks
	 */
	record ChecksSnapshot(long index, Map<String, Long> services) {
	}

}
