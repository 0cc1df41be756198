package dev.discovery.etcd;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.discovery.core.DiscoveryException;
import io.etcd.jetcd.common.exception.ErrorCode;
import io.etcd.jetcd.common.exception.EtcdException;
import io.grpc.Status;

/**
 * Puts a deadline on every etcd request, notes answers in {@link Connectivity}, and turns
 * failures into {@link DiscoveryException}s that say which etcd, which operation and why,
 * never with a password. Where the fix is a setting (credentials, the namespace a user may
 * use, TLS files), the reason names it. A request that goes unanswered until its deadline
 * is reported to an observer, which replaces the connections so that a silent member stops
 * getting requests. Thread-safe.
 */
final class EtcdRequests {

	private final EtcdSettings settings;

	private final Connectivity connectivity;

	private final Runnable unanswered;

	/**
	 * Creates the requests of a backend.
	 * @param settings the settings, with the request timeout
	 * @param connectivity told of every answer and failure
	 * @param unanswered told, without blocking, of every request that reached its deadline
	 */
	EtcdRequests(EtcdSettings settings, Connectivity connectivity, Runnable unanswered) {
		this.settings = settings;
		this.connectivity = connectivity;
		this.unanswered = unanswered;
	}

	Duration timeout() {
		return this.settings.requestTimeout();
	}

	/**
	 * Waits for a request, at most the request timeout.
	 * @param <T> the response type
	 * @param request the request in flight
	 * @param operation what the request does, for the message
	 * @return the response
	 * @throws DiscoveryException if the request failed or timed out
	 */
	<T> T await(CompletableFuture<T> request, String operation) {
		try {
			T response = request.get(timeout().toNanos(), TimeUnit.NANOSECONDS);
			this.connectivity.answered();
			return response;
		}
		catch (TimeoutException ex) {
			request.cancel(false);
			this.connectivity.failed();
			reportUnanswered();
			throw new DiscoveryException(
					this.settings.target() + ": " + operation + " timed out after " + timeout() + handshakeProblem(), ex);
		}
		catch (ExecutionException ex) {
			throw failure(operation, ex.getCause());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new DiscoveryException(this.settings.target() + ": interrupted while " + operation, ex);
		}
	}

	/**
	 * Bounds an asynchronous request by the request timeout.
	 * @param <T> the response type
	 * @param request the request in flight
	 * @return a future that fails with a {@link TimeoutException} at the deadline
	 */
	<T> CompletableFuture<T> bounded(CompletableFuture<T> request) {
		return bounded(request, timeout());
	}

	/**
	 * Bounds an asynchronous request by a deadline of its own.
	 * @param <T> the response type
	 * @param request the request in flight
	 * @param deadline how long to wait
	 * @return a future that fails with a {@link TimeoutException} at the deadline
	 */
	<T> CompletableFuture<T> bounded(CompletableFuture<T> request, Duration deadline) {
		return request.orTimeout(deadline.toNanos(), TimeUnit.NANOSECONDS).whenComplete((response, failure) -> {
			if (failure instanceof TimeoutException) {
				reportUnanswered();
			}
		});
	}

	/**
	 * Reports a request or stream that got no answer until its deadline. Never blocks.
	 */
	void reportUnanswered() {
		this.unanswered.run();
	}

	/**
	 * Describes a failed request.
	 * @param operation what the request did
	 * @param failure why it failed
	 * @return the exception to throw
	 */
	DiscoveryException failure(String operation, Throwable failure) {
		this.connectivity.failed();
		Throwable cause = unwrap(failure);
		return new DiscoveryException(this.settings.target() + ": " + operation + " failed: " + reason(cause), cause);
	}

	/**
	 * Says why a request failed, in words for logs and health.
	 * @param failure the failure
	 * @return the reason
	 */
	String reason(Throwable failure) {
		return reason(failure, timeout());
	}

	/**
	 * Says why a request with a deadline of its own failed.
	 * @param failure the failure
	 * @param deadline the deadline the request had
	 * @return the reason
	 */
	String reason(Throwable failure, Duration deadline) {
		Throwable cause = unwrap(failure);
		if (isAuthenticationFailure(cause)) {
			return "authentication failed for user '" + this.settings.username()
					+ "': set username and password (discovery.etcd.username and discovery.etcd.password) to a user"
					+ " etcd knows";
		}
		if (isPermissionDenied(cause)) {
			String user = (this.settings.username() != null) ? "user '" + this.settings.username() + "'" : "this client";
			return "permission denied: " + user + " may not use the namespace '" + this.settings.namespace()
					+ "' (keys under /" + this.settings.namespace() + "/): grant its role read-write access to that"
					+ " prefix, or set namespace (discovery.etcd.namespace) to one it may use";
		}
		if (cause instanceof TimeoutException) {
			return "no answer within " + deadline + handshakeProblem();
		}
		return (cause.getMessage() != null) ? cause.getMessage() : cause.getClass().getSimpleName();
	}

	static boolean isLeaseNotFound(Throwable failure) {
		Throwable cause = unwrap(failure);
		boolean notFound = (cause instanceof EtcdException etcd) ? etcd.getErrorCode() == ErrorCode.NOT_FOUND
				: Status.fromThrowable(cause).getCode() == Status.Code.NOT_FOUND;
		return notFound && String.valueOf(cause.getMessage()).contains("lease not found");
	}

	private String handshakeProblem() {
		String problem = this.connectivity.handshakeProblem();
		return (problem != null) ? "; the last TLS handshake failed: " + problem : "";
	}

	private static boolean isPermissionDenied(Throwable cause) {
		return Status.fromThrowable(cause).getCode() == Status.Code.PERMISSION_DENIED
				|| (cause instanceof EtcdException etcd && etcd.getErrorCode() == ErrorCode.PERMISSION_DENIED);
	}

	private static boolean isAuthenticationFailure(Throwable cause) {
		for (Throwable current = cause; current != null; current = current.getCause()) {
			if (String.valueOf(current.getMessage()).contains("authentication failed")) {
				return true;
			}
		}
		return false;
	}

	private static Throwable unwrap(Throwable failure) {
		Throwable cause = failure;
		while ((cause instanceof CompletionException || cause instanceof ExecutionException
				|| cause instanceof DiscoveryException) && cause.getCause() != null) {
			cause = cause.getCause();
		}
		return cause;
	}

}
