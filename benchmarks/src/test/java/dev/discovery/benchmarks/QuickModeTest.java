package dev.discovery.benchmarks;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The quick mode that keeps the benchmarks from rotting: every benchmark runs once, briefly,
 * in this JVM, and the report is written. The figures are not looked at.
 */
class QuickModeTest {

	@Test
	void everyChooseSubjectRunsAndIsReported() throws Exception {
		Report report = new Report();
		BenchmarkSuite.describeEnvironment(report);
		new ChooseSection(ChooseSection.Plan.quick()).run(report);
		String markdown = report.markdown();
		for (ChooseBenchmark.Subject subject : ChooseBenchmark.Subject.values()) {
			assertThat(markdown).contains("| " + subject.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + " | 10 |");
		}
		assertThat(report.json()).contains("\"targets\"");
	}

	@Test
	void inMemoryPropagationIsMeasured() throws Exception {
		Report report = new Report();
		try (Servers servers = new Servers()) {
			new PropagationSection(servers, 10).run(report, List.of(Registry.INMEMORY));
		}
		assertThat(report.markdown()).contains("| in-memory: A register/deregister → B's DiscoveryClient | 10 |");
	}

	@Test
	void grpcSectionRunsOnTheInMemoryRegistry() throws Exception {
		Report report = new Report();
		try (Servers servers = new Servers()) {
			new GrpcSection(servers, GrpcSection.Plan.quick()).run(report, List.of(Registry.INMEMORY));
		}
		assertThat(report.markdown()).contains("| fixed addresses, round_robin |")
			.contains("| in-memory: register → first RPC | 2 |")
			.contains("| in-memory: drain → picker | 2 |");
	}

	@Test
	void transportSectionGetsHttp2AnswersFromBothClients() throws Exception {
		Report report = new Report();
		try (Servers servers = new Servers()) {
			new TransportSection(servers, 2, 5).run(report);
		}
		assertThat(report.markdown()).contains("| JDK HttpClient 17, sendAsync | 10 |")
			.contains("| Apache HttpClient 5 (HTTP/2 only) | 10 |");
	}

}
