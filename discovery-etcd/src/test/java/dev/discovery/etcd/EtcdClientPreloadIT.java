package dev.discovery.etcd;

import java.util.List;

import dev.discovery.core.testserver.FreePorts;
import dev.discovery.etcd.testserver.EtcdExtension;
import dev.discovery.etcd.testserver.EtcdMember;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * {@link EtcdBackend#preloadClient(List)} against a real etcd: it reads from plain http
 * endpoints and writes nothing, and it returns without throwing when nothing answers.
 */
class EtcdClientPreloadIT {

	@RegisterExtension
	static final EtcdExtension etcd = EtcdExtension.ownCluster(1);

	@Test
	void readsFromPlainEndpointsAndWritesNothing() {
		EtcdMember member = etcd.cluster().member();
		long reads = member.rangeRequests();
		long revision = member.revision();
		EtcdBackend.preloadClient(etcd.endpoints());
		assertThat(member.rangeRequests()).isGreaterThan(reads);
		assertThat(member.revision()).isEqualTo(revision);
	}

	@Test
	void returnsWhenNothingAnswers() {
		String silent = "http://127.0.0.1:" + FreePorts.pick(1)[0];
		assertThatNoException().isThrownBy(() -> EtcdBackend.preloadClient(List.of(silent)));
	}

}
