package dev.discovery.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;

import dev.discovery.consul.testserver.ConsulAgentExtension;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.HttpVersion;
import org.apache.hc.core5.reactor.IOReactorConfig;

/**
 * The transport under Consul's streamed watches, alone: answers over https and HTTP/2 from
 * a Consul server, one after another on one connection, through the JDK's
 * {@link HttpClient} as the backend sent them until it moved to Apache HttpCore 5 (the
 * answer taken from its body, on the client's executor of 2 threads) and through Apache
 * HttpClient 5's HTTP/2 client (one I/O thread), which is built on the HttpCore 5 transport
 * the backend now uses, the two taking turns. It counts the threads the JVM started per
 * answer and times each answer: the measure on which the transport was chosen.
 */
final class TransportSection {

	private static final String PATH = "/v1/status/leader";

	private static final long ANSWER_TIMEOUT_SECONDS = 10;

	private final Servers servers;

	private final int rounds;

	private final int answersPerRound;

	/**
	 * Creates the section.
	 * @param servers the run's servers
	 * @param rounds how many turns each client takes
	 * @param answersPerRound how many answers each turn times
	 */
	TransportSection(Servers servers, int rounds, int answersPerRound) {
		this.servers = servers;
		this.rounds = rounds;
		this.answersPerRound = answersPerRound;
	}

	/**
	 * Measures and adds the table to the report.
	 * @param report the report
	 * @throws Exception if the server did not start or an answer failed
	 */
	void run(Report report) throws Exception {
		ConsulAgentExtension agent = this.servers.productionConsul("transport");
		SSLContext tls = agent.trustingCa();
		String address = "https://" + agent.host() + ":" + agent.httpsPort() + PATH;
		ExecutorService executor = Executors.newFixedThreadPool(2);
		HttpClient jdk = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).sslContext(tls).executor(executor)
			.build();
		try (CloseableHttpAsyncClient apache = HttpAsyncClients.customHttp2()
			.setTlsStrategy(ClientTlsStrategyBuilder.create().setSslContext(tls).buildAsync())
			.setIOReactorConfig(IOReactorConfig.custom().setIoThreadCount(1).build())
			.build()) {
			apache.start();
			Client jdkClient = new Client("JDK HttpClient 17, sendAsync", () -> jdkAnswer(jdk, address));
			Client apacheClient = new Client("Apache HttpClient 5 (HTTP/2 only)", () -> apacheAnswer(apache, address));
			jdkClient.answer();
			apacheClient.answer();
			for (int round = 0; round < this.rounds; round++) {
				List<Client> order = (round % 2 == 0) ? List.of(jdkClient, apacheClient)
						: List.of(apacheClient, jdkClient);
				for (Client client : order) {
					client.measure(this.answersPerRound);
				}
			}
			List<List<Object>> rows = new ArrayList<>();
			for (Client client : List.of(jdkClient, apacheClient)) {
				rows.add(List.of(client.name, client.samples.size(),
						(double) client.threadsStarted / client.samples.size(), client.samples.medianMillis(),
						client.samples.p99Millis()));
			}
			report.add(new Report.Table("Consul over https: the transport of streamed watches",
					"A Consul server started as in production; GET " + PATH + " over https and HTTP/2, one answer "
							+ "after another on one connection, " + this.rounds + " turns of " + this.answersPerRound
							+ " answers per client, the order alternating, after one unmeasured answer each. "
							+ "The JDK client takes each answer from its body on its executor (2 threads), as the "
							+ "Consul backend did before it moved to Apache HttpCore 5; Apache HttpClient 5 completes it on its one I/O thread. Threads "
							+ "started: by the whole JVM during the client's turns.",
					List.of("client", "answers", "threads started per answer", "p50 ms", "p99 ms"), rows));
		}
		finally {
			executor.shutdownNow();
		}
	}

	private static CompletableFuture<String> jdkAnswer(HttpClient client, String address) {
		CompletableFuture<String> answer = new CompletableFuture<>();
		client.sendAsync(HttpRequest.newBuilder(URI.create(address)).GET().build(), (info) -> {
			HttpResponse.BodySubscriber<String> body = HttpResponse.BodySubscribers.ofString(StandardCharsets.UTF_8);
			body.getBody().whenComplete((text, failure) -> {
				if (failure != null) {
					answer.completeExceptionally(failure);
				}
				else if (info.version() != HttpClient.Version.HTTP_2) {
					answer.completeExceptionally(new IllegalStateException("Answered over " + info.version()));
				}
				else {
					answer.complete(text);
				}
			});
			return body;
		}).whenComplete((ignored, failure) -> {
			if (failure != null) {
				answer.completeExceptionally(failure);
			}
		});
		return answer;
	}

	private static CompletableFuture<String> apacheAnswer(CloseableHttpAsyncClient client, String address) {
		CompletableFuture<String> answer = new CompletableFuture<>();
		client.execute(SimpleRequestBuilder.get(address).build(), new FutureCallback<SimpleHttpResponse>() {

			@Override
			public void completed(SimpleHttpResponse response) {
				if (response.getVersion() != HttpVersion.HTTP_2) {
					answer.completeExceptionally(new IllegalStateException("Answered over " + response.getVersion()));
				}
				else {
					answer.complete(response.getBodyText());
				}
			}

			@Override
			public void failed(Exception failure) {
				answer.completeExceptionally(failure);
			}

			@Override
			public void cancelled() {
				answer.cancel(false);
			}

		});
		return answer;
	}

	/** Sends one request and completes with its answer. */
	@FunctionalInterface
	private interface Exchange {

		CompletableFuture<String> send();

	}

	/** One client under measure and what its turns measured. */
	private static final class Client {

		private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

		private final String name;

		private final Exchange exchange;

		private final Samples samples = new Samples();

		private long threadsStarted;

		Client(String name, Exchange exchange) {
			this.name = name;
			this.exchange = exchange;
		}

		void answer() throws Exception {
			this.exchange.send().get(ANSWER_TIMEOUT_SECONDS, TimeUnit.SECONDS);
		}

		void measure(int answers) throws Exception {
			long threadsBefore = THREADS.getTotalStartedThreadCount();
			for (int i = 0; i < answers; i++) {
				long started = System.nanoTime();
				answer();
				this.samples.add(System.nanoTime() - started);
			}
			this.threadsStarted += THREADS.getTotalStartedThreadCount() - threadsBefore;
		}

	}

}
