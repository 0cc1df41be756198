package dev.discovery.spring.autoconfigure;

import java.net.URI;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class LoadBalancedHttpServiceGroupsTests {

	@ParameterizedTest
	@CsvSource(nullValues = "none", value = { "greeting, none, http://greeting",
			"greeting, '', http://greeting", "group, lb://greeting, http://greeting",
			"group, LB://greeting/api/v1, http://greeting/api/v1", "group, lb://greeting:8080, http://greeting:8080",
			"group, http://greeting, http://greeting", "group, http://greeting/api, http://greeting/api",
			"group, HTTP://order-service-2, HTTP://order-service-2" })
	void groupsMeantForServiceDiscoveryAreBalanced(String group, String configured, String expected) {
		assertThat(LoadBalancedHttpServiceGroups.balancedBaseUrl(group, configured)).isEqualTo(URI.create(expected));
	}

	@ParameterizedTest
	@ValueSource(strings = { "http://example.com", "http://example.com/api", "http://greeting:8080",
			"http://localhost", "http://LOCALHOST/api", "http://10.0.0.7", "http://[::1]", "https://greeting",
			"ftp://greeting", "http://-greeting", "lb:///no-host", "not a url", "/relative" })
	void otherBaseUrlsAreLeftAlone(String configured) {
		assertThat(LoadBalancedHttpServiceGroups.balancedBaseUrl("group", configured)).isNull();
	}

	@ParameterizedTest
	@ValueSource(strings = { "my_group", "two words" })
	void groupWithoutABaseUrlWhoseNameIsNotAHostIsLeftAlone(String group) {
		assertThat(LoadBalancedHttpServiceGroups.balancedBaseUrl(group, null)).isNull();
	}

}
