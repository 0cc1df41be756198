package dev.discovery.consul;

import java.util.List;
import java.util.Map;

import com.google.gson.annotations.SerializedName;
import org.jspecify.annotations.Nullable;

/**
 * The JSON bodies of the agent endpoints whose consul-api models lack fields this backend
 * needs ({@code Weights}, the initial check {@code Status}, a check's service): service
 * registration, the health of a service, and the state of every check. Only the fields the
 * backend uses are declared.
 */
final class ConsulJson {

	private ConsulJson() {
	}

	/** The body of {@code PUT /v1/agent/service/register}. */
	record ServiceRegistration(@SerializedName("ID") String id, @SerializedName("Name") String name,
			@SerializedName("Address") String address, @SerializedName("Port") int port,
			@SerializedName("Tags") List<String> tags, @SerializedName("Meta") Map<String, String> meta,
			@SerializedName("Weights") Weights weights, @SerializedName("Check") CheckDefinition check) {
	}

	/** How much traffic an instance gets in each check state. */
	record Weights(@SerializedName("Passing") int passing, @SerializedName("Warning") int warning) {
	}

	/** A TTL or HTTP check; the fields of the other kind stay null and are not sent. */
	record CheckDefinition(@SerializedName("CheckID") String checkId, @SerializedName("Name") String name,
			@SerializedName("TTL") @Nullable String ttl, @SerializedName("HTTP") @Nullable String http,
			@SerializedName("Interval") @Nullable String interval, @SerializedName("Status") @Nullable String status,
			@SerializedName("DeregisterCriticalServiceAfter") String deregisterCriticalServiceAfter,
			@SerializedName("TLSSkipVerify") @Nullable Boolean tlsSkipVerify,
			@SerializedName("FailuresBeforeCritical") @Nullable Integer failuresBeforeCritical,
			@SerializedName("SuccessBeforePassing") @Nullable Integer successBeforePassing) {
	}

	/** One element of {@code GET /v1/health/service/:name}. */
	record HealthEntry(@SerializedName("Node") @Nullable Node node, @SerializedName("Service") @Nullable Service service,
			@SerializedName("Checks") @Nullable List<Check> checks) {
	}

	/** The node an instance runs on. */
	record Node(@SerializedName("Address") @Nullable String address) {
	}

	/** A service instance as the catalog holds it. */
	record Service(@SerializedName("ID") @Nullable String id, @SerializedName("Service") @Nullable String service,
			@SerializedName("Address") @Nullable String address, @SerializedName("Port") int port,
			@SerializedName("Tags") @Nullable List<String> tags, @SerializedName("Meta") @Nullable Map<String, String> meta,
			@SerializedName("Weights") @Nullable Weights weights) {
	}

	/** The state of one check of an instance or of its node. */
	record Check(@SerializedName("CheckID") @Nullable String checkId, @SerializedName("Status") @Nullable String status,
			@SerializedName("Notes") @Nullable String notes) {
	}

	/**
	 * One element of {@code GET /v1/health/state/any}: a check of a node (no service) or of
	 * one instance of a service.
	 */
}
