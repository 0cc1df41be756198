package dev.discovery.consul.testserver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;

import org.apache.http.client.config.RequestConfig;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpPut;
import org.apache.http.entity.StringEntity;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;
import org.apache.http.util.EntityUtils;

/**
 * Writes instances straight into a Consul catalog, as other nodes of a datacenter would,
 * each with one passing check; thousands take seconds, where agent registrations take
 * minutes. It connects from {@link #SOURCE_ADDRESS}, so that the connections a test counts
 * from 127.0.0.1 are only those of the clients under test.
 */
public final class CatalogWriter implements AutoCloseable {

	/** The loopback address the writer connects from. */
	public static final String SOURCE_ADDRESS = "127.0.0.2";

	private final String base;

	private final CloseableHttpClient http;

	/**
	 * Creates a writer for the agent's HTTP API.
	 * @param host the agent's host
	 * @param port the agent's HTTP port
	 */
	public CatalogWriter(String host, int port) {
		this.base = "http://" + host + ":" + port;
		try {
			this.http = HttpClients.custom()
				.setDefaultRequestConfig(RequestConfig.custom()
					.setLocalAddress(InetAddress.getByName(SOURCE_ADDRESS))
					.setConnectTimeout(5000)
					.setSocketTimeout(10000)
					.build())
				.build();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Registers an instance with a passing check on a node, creating the node if needed.
	 * @param node the node
	 * @param service the service
	 * @param id the instance id
	 * @param port the instance's port on 127.0.0.1
	 */
	public void register(String node, String service, String id, int port) {
		put("/v1/catalog/register", "{\"Node\":\"" + node + "\",\"Address\":\"127.0.0.1\",\"Service\":{\"ID\":\"" + id
				+ "\",\"Service\":\"" + service + "\",\"Address\":\"127.0.0.1\",\"Port\":" + port
				+ "},\"Check\":{\"Node\":\"" + node + "\",\"CheckID\":\"service:" + id
				+ "\",\"Name\":\"alive\",\"Status\":\"passing\",\"ServiceID\":\"" + id + "\"}}");
	}

	/**
	 * Removes an instance (and its check) from a node.
	 * @param node the node
	 * @param id the instance id
	 */
	public void deregister(String node, String id) {
		put("/v1/catalog/deregister", "{\"Node\":\"" + node + "\",\"ServiceID\":\"" + id + "\"}");
	}

	@Override
	public void close() throws IOException {
		this.http.close();
	}

	private void put(String path, String body) {
		HttpPut put = new HttpPut(this.base + path);
		put.setEntity(new StringEntity(body, StandardCharsets.UTF_8));
		try (CloseableHttpResponse response = this.http.execute(put)) {
			String answer = EntityUtils.toString(response.getEntity(), StandardCharsets.UTF_8);
			if (response.getStatusLine().getStatusCode() != 200) {
				throw new IllegalStateException("PUT " + path + " answered " + response.getStatusLine() + ": " + answer);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("PUT " + path + " failed", ex);
		}
	}

}
