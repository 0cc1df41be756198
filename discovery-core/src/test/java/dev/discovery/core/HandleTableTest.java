package dev.discovery.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HandleTableTest {

	private final ScriptedBackend backend = new ScriptedBackend();

	@Test
	void theEmptyTableHasNoHandle() {
		assertThat(HandleTable.find(HandleTable.EMPTY, "orders")).isNull();
		assertThat(HandleTable.handles(HandleTable.EMPTY)).isEmpty();
	}

	@Test
	void everyAddedNameIsFoundThroughEveryGrowthAndOthersAreNot() {
		Map<String, ServiceHandle> added = IntStream.range(0, 1000)
			.mapToObj((i) -> "service-" + i)
			.collect(Collectors.toMap(Function.identity(), this::handle));
		Object[] table = HandleTable.EMPTY;
		List<String> names = new ArrayList<>(added.keySet());
		for (int i = 0; i < names.size(); i++) {
			table = HandleTable.with(table, names.get(i), added.get(names.get(i)));
			assertThat(HandleTable.find(table, names.get(i))).isSameAs(added.get(names.get(i)));
			assertThat(HandleTable.find(table, names.get(0))).isSameAs(added.get(names.get(0)));
		}

		for (String name : names) {
			assertThat(HandleTable.find(table, new String(name))).as(name).isSameAs(added.get(name));
		}
		assertThat(HandleTable.find(table, "service-1000")).isNull();
		assertThat(HandleTable.handles(table)).containsExactlyInAnyOrderElementsOf(added.values());
		assertThat(table.length).isEqualTo(4096);
	}

	@Test
	void namesWithTheSameHashAreTold() {
		assertThat("Aa".hashCode()).isEqualTo("BB".hashCode());
		ServiceHandle first = handle("Aa");
		ServiceHandle second = handle("BB");

		Object[] table = HandleTable.with(HandleTable.with(HandleTable.EMPTY, "Aa", first), "BB", second);

		assertThat(HandleTable.find(table, "Aa")).isSameAs(first);
		assertThat(HandleTable.find(table, "BB")).isSameAs(second);
		assertThat(HandleTable.find(table, "C#")).isNull();
	}

	@Test
	void addingLeavesTheGivenTableAsItWas() {
		Object[] one = HandleTable.with(HandleTable.EMPTY, "orders", handle("orders"));

		HandleTable.with(one, "billing", handle("billing"));

		assertThat(HandleTable.find(one, "billing")).isNull();
		assertThat(HandleTable.handles(one)).hasSize(1);
		assertThat(HandleTable.handles(HandleTable.EMPTY)).isEmpty();
	}

	private ServiceHandle handle(String name) {
		return new ServiceHandle(name, BalancingPolicy.builder(LoadBalancers.byName("round-robin")).build(),
				this.backend, List.of(), System::nanoTime);
	}

}
