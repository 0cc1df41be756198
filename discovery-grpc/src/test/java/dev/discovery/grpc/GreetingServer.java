package dev.discovery.grpc;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;

/**
 * A real gRPC server on a free loopback port with one unary method, {@link #GREET}, that
 * answers with the server's name after an optional delay, or fails with a chosen status.
 * It counts the calls it received. The method uses a plain UTF-8 string marshaller, so no
 * protoc is needed.
 */
public final class GreetingServer implements AutoCloseable {

	/** The greeting method: a string in, the name of the server that answered out. */
	public static final MethodDescriptor<String, String> GREET = MethodDescriptor.<String, String>newBuilder()
		.setType(MethodDescriptor.MethodType.UNARY)
		.setFullMethodName(MethodDescriptor.generateFullMethodName("greeting.Greeter", "Greet"))
		.setRequestMarshaller(Utf8.INSTANCE)
		.setResponseMarshaller(Utf8.INSTANCE)
		.build();

	private static final ScheduledExecutorService delays = Executors.newSingleThreadScheduledExecutor((task) -> {
		Thread thread = new Thread(task, "greeting-delays");
		thread.setDaemon(true);
		return thread;
	});

	private final String name;

	private final Server server;

	private final AtomicInteger calls = new AtomicInteger();

	private volatile long firstCall;

	private volatile long lastCall;

	private volatile Duration delay = Duration.ZERO;

	private volatile Status.Code failWith = Status.Code.OK;

	private GreetingServer(String name, int port) throws IOException {
		this.name = name;
		ServerServiceDefinition service = definition((request, observer) -> {
			this.lastCall = System.nanoTime();
			if (this.calls.incrementAndGet() == 1) {
				this.firstCall = this.lastCall;
			}
			Status.Code failure = this.failWith;
			Runnable answer = () -> {
				if (failure != Status.Code.OK) {
					observer.onError(failure.toStatus().withDescription(this.name + " fails").asRuntimeException());
					return;
				}
				observer.onNext(this.name);
				observer.onCompleted();
			};
			long nanos = this.delay.toNanos();
			if (nanos == 0) {
				answer.run();
			}
			else {
				delays.schedule(answer, nanos, TimeUnit.NANOSECONDS);
			}
		});
		this.server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
			.addService(service)
			.build()
			.start();
	}

	/**
	 * Builds the greeting service around an implementation of {@link #GREET}, for servers
	 * that other code starts, such as Spring gRPC's.
	 * @param greet the implementation
	 * @return the service definition
	 */
	public static ServerServiceDefinition definition(ServerCalls.UnaryMethod<String, String> greet) {
		return ServerServiceDefinition.builder(GREET.getServiceName())
			.addMethod(GREET, ServerCalls.asyncUnaryCall(greet))
			.build();
	}

	/**
	 * Starts a server on a free loopback port.
	 * @param name what it answers
	 * @return the started server
	 */
	public static GreetingServer start(String name) {
		return start(name, 0);
	}

	/**
	 * Starts a server on a given loopback port, for example the one a killed server had.
	 * @param name what it answers
	 * @param port the port, or 0 for a free one
	 * @return the started server
	 */
	public static GreetingServer start(String name, int port) {
		try {
			return new GreetingServer(name, port);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Returns the name this server answers with. */
	public String name() {
		return this.name;
	}

	/** Returns the port the server listens on. */
	public int port() {
		return this.server.getPort();
	}

	/** Returns how many calls reached this server. */
	public int calls() {
		return this.calls.get();
	}

	/** Returns the {@link System#nanoTime()} at which the first call arrived. */
	public long firstCallNanos() {
		return this.firstCall;
	}

	/** Returns the {@link System#nanoTime()} at which the last call arrived. */
	public long lastCallNanos() {
		return this.lastCall;
	}

	/** Makes every later answer wait this long. */
	public void delay(Duration delay) {
		this.delay = delay;
	}

	/** Makes every later call fail with this code ({@code OK}: answer again). */
	public void failWith(Status.Code code) {
		this.failWith = code;
	}

	/**
	 * Stops as a drained server does: no new call is accepted, and this returns when the
	 * calls in flight have finished (or after 5 s).
	 * @throws InterruptedException if interrupted while waiting
	 */
	public void stopGracefully() throws InterruptedException {
		this.server.shutdown().awaitTermination(5, TimeUnit.SECONDS);
	}

	/** Stops at once, failing the calls in flight, as a killed process would. */
	public void kill() {
		this.server.shutdownNow();
	}

	@Override
	public void close() throws InterruptedException {
		this.server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
	}

	private enum Utf8 implements MethodDescriptor.Marshaller<String> {

		INSTANCE;

		@Override
		public InputStream stream(String value) {
			return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
		}

		@Override
		public String parse(InputStream stream) {
			try {
				return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

	}

}
