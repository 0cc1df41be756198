package dev.discovery.spring.testcontainers;

import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * A single-member etcd for tests, from the etcd project's image
 * ({@code quay.io/coreos/etcd} or {@code gcr.io/etcd-development/etcd}, or an image declared
 * a compatible substitute). It serves plain HTTP without authentication on
 * {@link #CLIENT_PORT}, mapped to a free port of the Docker host, and counts as started once
 * its {@code /health} endpoint answers 200, that is once it has a leader.
 * {@code @ServiceConnection} on it supplies the application's
 * {@link dev.discovery.spring.autoconfigure.EtcdConnectionDetails}.
 */
public class EtcdContainer extends GenericContainer<EtcdContainer> {

	/** The port etcd serves clients on inside the container. */
	public static final int CLIENT_PORT = 2379;

	private static final DockerImageName QUAY = DockerImageName.parse("quay.io/coreos/etcd");

	private static final DockerImageName GCR = DockerImageName.parse("gcr.io/etcd-development/etcd");

	/**
	 * Creates the container of the given image.
	 * @param image the image, for example {@code quay.io/coreos/etcd:v3.5.16}
	 */
	public EtcdContainer(String image) {
		this(DockerImageName.parse(image));
	}

	/**
	 * Creates the container of the given image.
	 * @param image the image; it must be the etcd project's or declared compatible with it
	 */
	public EtcdContainer(DockerImageName image) {
		super(image);
		image.assertCompatibleWith(QUAY, GCR);
		withCommand("etcd", "--name=test", "--data-dir=/tmp/etcd-data",
				"--listen-client-urls=http://0.0.0.0:" + CLIENT_PORT,
				"--advertise-client-urls=http://127.0.0.1:" + CLIENT_PORT);
		withExposedPorts(CLIENT_PORT);
		waitingFor(Wait.forHttp("/health").forPort(CLIENT_PORT).forStatusCode(200));
	}

	/**
	 * Returns the URL that reaches etcd from the Docker host's side.
	 * @return {@code http://<host>:<mapped port>}; valid once the container has started
	 */
	public String getClientEndpoint() {
		return "http://" + getHost() + ":" + getMappedPort(CLIENT_PORT);
	}

}
