package dev.discovery.consul;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ConnectionBudgetTest {

	@Test
	void everyConnectionIsSpentAndEachKindHasAtLeastOne() {
		for (int max = ConnectionBudget.MIN_CONNECTIONS; max <= 300; max++) {
			ConnectionBudget budget = new ConnectionBudget(max);
			assertThat(budget.shared() + 1 + budget.blockingQueries()).isEqualTo(max);
			assertThat(budget.shared()).isBetween(1, 4);
			assertThat(budget.blockingQueries()).isPositive();
		}
	}

	@Test
	void theDefaultGivesElevenServicesABlockingQueryOfTheirOwn() {
		assertThat(new ConnectionBudget(16).blockingQueries()).isEqualTo(11);
		assertThat(new ConnectionBudget(16).shared()).isEqualTo(4);
	}

}
