package dev.discovery.benchmarks;

import java.io.File;
import java.util.Arrays;
import java.util.List;

import dev.discovery.benchmarks.StartupSection.Arm;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What each startup arm puts on the sample's class path.
 */
class StartupSectionTest {

	private static final String REPOSITORY = "/home/u/.m2/repository/";

	private static final List<String> CLASS_PATH = List.of("/work/benchmarks/target/classes",
			"/work/discovery-core/target/discovery-core-0.1.0-SNAPSHOT.jar",
			"/work/discovery-inmemory/target/discovery-inmemory-0.1.0-SNAPSHOT.jar",
			"/work/discovery-etcd/target/discovery-etcd-0.1.0-SNAPSHOT.jar",
			REPOSITORY + "dev/discovery/discovery-consul/0.1.0-SNAPSHOT/discovery-consul-0.1.0-SNAPSHOT.jar",
			"/work/discovery-grpc/target/discovery-grpc-0.1.0-SNAPSHOT.jar",
			"/work/discovery-spring-boot-starter/target/discovery-spring-boot-starter-0.1.0-SNAPSHOT.jar",
			"/work/discovery-spring-cloud/target/discovery-spring-cloud-0.1.0-SNAPSHOT.jar",
			REPOSITORY + "io/etcd/jetcd-core/0.8.5/jetcd-core-0.8.5.jar",
			REPOSITORY + "org/springframework/cloud/spring-cloud-commons/5.0.1/spring-cloud-commons-5.0.1.jar",
			REPOSITORY + "org/openjdk/jmh/jmh-core/1.37/jmh-core-1.37.jar");

	@Test
	void anchorHasNoDiscoveryJar() {
		assertThat(entries(Arm.WITHOUT)).containsExactly("/work/benchmarks/target/classes",
				REPOSITORY + "io/etcd/jetcd-core/0.8.5/jetcd-core-0.8.5.jar");
	}

	@Test
	void inMemoryHasTheStartersOwnModulesOnly() {
		assertThat(entries(Arm.IN_MEMORY)).containsExactly("/work/benchmarks/target/classes",
				"/work/discovery-core/target/discovery-core-0.1.0-SNAPSHOT.jar",
				"/work/discovery-inmemory/target/discovery-inmemory-0.1.0-SNAPSHOT.jar",
				"/work/discovery-spring-boot-starter/target/discovery-spring-boot-starter-0.1.0-SNAPSHOT.jar",
				REPOSITORY + "io/etcd/jetcd-core/0.8.5/jetcd-core-0.8.5.jar");
	}

	@Test
	void etcdAddsTheEtcdModule() {
		assertThat(entries(Arm.ETCD)).contains("/work/discovery-etcd/target/discovery-etcd-0.1.0-SNAPSHOT.jar")
			.noneMatch((entry) -> entry.contains("discovery-consul") || entry.contains("discovery-grpc"));
	}

	@Test
	void everyModuleArmKeepsThemAllButSpringCloudAndJmh() {
		assertThat(entries(Arm.IN_MEMORY_EVERY_MODULE)).hasSize(CLASS_PATH.size() - 3)
			.noneMatch((entry) -> entry.contains("spring-cloud") || entry.contains("jmh"));
	}

	@Test
	void handWrittenArmsHaveTheAnchorsClassPath() {
		assertThat(entries(Arm.HAND_WRITTEN_ETCD)).isEqualTo(entries(Arm.WITHOUT));
		assertThat(entries(Arm.HAND_WRITTEN_ETCD_GATEWAY)).isEqualTo(entries(Arm.WITHOUT));
	}

	@Test
	void eachRoundRunsEveryArmOnceStartingOneArmLater() {
		Arm[] arms = Arm.values();
		for (int round = 0; round < 2 * arms.length; round++) {
			List<Arm> order = Arm.inOrderOfRound(round);
			assertThat(order).containsExactlyInAnyOrder(arms).startsWith(arms[round % arms.length]);
		}
	}

	private static List<String> entries(Arm arm) {
		return Arrays.asList(arm.classPath(String.join(File.pathSeparator, CLASS_PATH)).split(File.pathSeparator));
	}

}
