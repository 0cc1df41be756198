package dev.discovery.benchmarks.sample;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;

/**
 * How an application could register itself in etcd without gRPC: once the web server has
 * its port, it grants a lease, puts its address under it and renews the lease, each a POST
 * to etcd's JSON gateway with the JDK's {@link HttpURLConnection}, on the thread that starts
 * the application; a daemon thread renews the lease from then on, until a renewal fails,
 * which is enough for a sample that exits once ready. The startup measurement's
 * second anchor for the starter on etcd: what registering costs with a client lighter than
 * jetcd, to weigh replacing it.
 */
final class HandWrittenEtcdGatewayRegistration implements ApplicationListener<WebServerInitializedEvent> {

	private static final Pattern LEASE_ID = Pattern.compile("\"ID\":\"?(\\d+)");

	private final String endpoint;

	HandWrittenEtcdGatewayRegistration(String endpoint) {
		this.endpoint = endpoint;
	}

	@Override
	public void onApplicationEvent(WebServerInitializedEvent event) {
		int port = event.getWebServer().getPort();
		Matcher granted = LEASE_ID
			.matcher(post("/v3/lease/grant", "{\"TTL\":" + HandWrittenRecord.LEASE_SECONDS + "}"));
		if (!granted.find()) {
			throw new IllegalStateException("etcd at " + this.endpoint + " granted no lease");
		}
		String lease = granted.group(1);
		HandWrittenRecord record = HandWrittenRecord.of(port);
		post("/v3/kv/put", "{\"key\":\"" + base64(record.key()) + "\",\"value\":\"" + base64(record.value())
				+ "\",\"lease\":\"" + lease + "\"}");
		String keepAlive = "{\"ID\":\"" + lease + "\"}";
		post("/v3/lease/keepalive", keepAlive);
		ScheduledExecutorService renewals = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "etcd-lease-renewal");
			thread.setDaemon(true);
			return thread;
		});
		long renewalSeconds = HandWrittenRecord.LEASE_SECONDS / 3;
		renewals.scheduleWithFixedDelay(() -> post("/v3/lease/keepalive", keepAlive), renewalSeconds, renewalSeconds,
				TimeUnit.SECONDS);
	}

	private String post(String path, String body) {
		try {
			HttpURLConnection connection = (HttpURLConnection) URI.create(this.endpoint + path).toURL().openConnection();
			connection.setRequestMethod("POST");
			connection.setDoOutput(true);
			try (OutputStream out = connection.getOutputStream()) {
				out.write(body.getBytes(StandardCharsets.UTF_8));
			}
			if (connection.getResponseCode() != HttpURLConnection.HTTP_OK) {
				throw new IllegalStateException(
						"etcd at " + this.endpoint + " answered " + connection.getResponseCode() + " to " + path);
			}
			try (InputStream in = connection.getInputStream()) {
				return new String(in.readAllBytes(), StandardCharsets.UTF_8);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not reach etcd at " + this.endpoint, ex);
		}
	}

	private static String base64(String text) {
		return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
	}

}
