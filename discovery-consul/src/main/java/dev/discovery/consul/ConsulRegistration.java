package dev.discovery.consul;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import dev.discovery.consul.ConsulBackend.CheckType;
import dev.discovery.core.Backoff;
import dev.discovery.core.InstanceStatus;
import dev.discovery.core.Registration;
import dev.discovery.core.RegistrationState;
import dev.discovery.core.ServiceInstance;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One instance registered with the agent, kept alive by a heartbeat every
 * {@link CheckSettings#heartbeatPeriod()}: it passes the TTL check (or, with an HTTP check,
 * makes sure the agent still knows the instance) and re-applies the status if an earlier
 * write failed. When the agent answers that it forgot the instance, the registration turns
 * {@link RegistrationState#LOST} and registers again at once, then with back-off, until it
 * is {@link RegistrationState#REGISTERED} again. Thread-safe: writes to the agent are
 * serialised on this object.
 */
final class ConsulRegistration implements Registration {

	private static final Logger logger = LoggerFactory.getLogger(ConsulRegistration.class);

	private final ConsulAgent agent;

	private final CheckSettings check;

	private final ScheduledExecutorService scheduler;

	private final Backoff backoff;

	private final Consumer<ConsulRegistration> onClose;

	private volatile ServiceInstance instance;

	private volatile RegistrationState state = RegistrationState.REGISTERING;

	private volatile @Nullable String lastError;

	/** The maintenance reason the agent holds, null when maintenance is off. */
	private @Nullable String agentMaintenance;

	private @Nullable ScheduledFuture<?> next;

	private int failedRestores;

	ConsulRegistration(ServiceInstance instance, ConsulAgent agent, CheckSettings check,
			ScheduledExecutorService scheduler, Backoff backoff, Consumer<ConsulRegistration> onClose) {
		this.instance = instance;
		this.agent = agent;
		this.check = check;
		this.scheduler = scheduler;
		this.backoff = backoff;
		this.onClose = onClose;
	}

	/**
	 * Writes the instance and starts the heartbeat.
	 * @throws ConsulCallException if the agent refused or could not be reached; the instance
	 * is then not left registered
	 */
	synchronized void start() {
		try {
			registerWithAgent();
		}
		catch (ConsulCallException ex) {
			this.state = RegistrationState.CLOSED;
			throw ex;
		}
		try {
			applyStatus(this.instance.status());
		}
		catch (ConsulCallException ex) {
			this.state = RegistrationState.CLOSED;
			deregisterQuietly();
			throw ex;
		}
		this.state = RegistrationState.REGISTERED;
		schedule(this.check.heartbeatPeriod());
	}

	@Override
	public ServiceInstance instance() {
		return this.instance;
	}

	@Override
	public RegistrationState state() {
		return this.state;
	}

	/** Why the last write to the agent failed, or null when it succeeded. */
	@Nullable String lastError() {
		return this.lastError;
	}

	@Override
	public synchronized void setStatus(InstanceStatus status) {
		if (this.state == RegistrationState.CLOSED) {
			throw Registration.closed(this.instance);
		}
		this.instance = this.instance.withStatus(status);
		if (this.state != RegistrationState.REGISTERED) {
			return;
		}
		try {
			applyStatus(status);
			this.lastError = null;
		}
		catch (ConsulCallException ex) {
			this.lastError = ex.getMessage();
			logger.warn("Could not write status {} of instance '{}' yet; the heartbeat retries: {}", status,
					this.instance.id(), ex.getMessage());
			if (ex.agentForgot()) {
				lost();
			}
		}
	}

	@Override
	public void close() {
		synchronized (this) {
			if (this.state == RegistrationState.CLOSED) {
				return;
			}
			stop();
		}
		this.onClose.accept(this);
		deregisterQuietly();
	}

	/**
	 * Checks at once that the agent still knows the instance, and registers it again if it
	 * forgot it, instead of waiting for the next heartbeat.
	 */
	synchronized void checkNow() {
		if (this.state != RegistrationState.CLOSED) {
			schedule(Duration.ZERO);
		}
	}

	/** Stops keeping the instance alive without deregistering it: another registration took its id. */
	synchronized void supersede() {
		stop();
	}

	private void stop() {
		this.state = RegistrationState.CLOSED;
		if (this.next != null) {
			this.next.cancel(false);
		}
	}

	private void registerWithAgent() {
		ServiceInstance current = this.instance;
		this.agent.register(InstanceMapping.registration(current, this.check.definition(current)));
		this.agentMaintenance = null;
	}

	private void applyStatus(InstanceStatus status) {
		String id = this.instance.id();
		String wanted = StatusMapping.inMaintenance(this.check.type(), status) ? StatusMapping.maintenanceReason(status)
				: null;
		if (!Objects.equals(wanted, this.agentMaintenance)) {
			if (this.agentMaintenance != null) {
				this.agent.maintenance(id, false, "");
				this.agentMaintenance = null;
			}
			if (wanted != null) {
				this.agent.maintenance(id, true, wanted);
				this.agentMaintenance = wanted;
			}
		}
		if (this.check.type() == CheckType.TTL) {
			this.agent.updateTtl(CheckSettings.checkId(id), StatusMapping.ttlUpdate(status));
		}
	}

	private synchronized void tick() {
		if (this.state == RegistrationState.CLOSED) {
			return;
		}
		try {
			if (this.state == RegistrationState.LOST) {
				registerWithAgent();
				applyStatus(this.instance.status());
				this.state = RegistrationState.REGISTERED;
				this.failedRestores = 0;
				logger.info("Registered instance '{}' of service '{}' with the Consul agent again", this.instance.id(),
						this.instance.service());
			}
			else {
				heartbeat();
			}
			if (this.state == RegistrationState.REGISTERED) {
				this.lastError = null;
				schedule(this.check.heartbeatPeriod());
			}
		}
		catch (ConsulCallException ex) {
			this.lastError = ex.getMessage();
			if (this.state == RegistrationState.LOST) {
				schedule(this.backoff.delay(this.failedRestores++));
			}
			else if (ex.agentForgot()) {
				lost();
			}
			else {
				logger.warn("Heartbeat of instance '{}' failed; retrying: {}", this.instance.id(), ex.getMessage());
				schedule(this.check.heartbeatPeriod());
			}
		}
		catch (RuntimeException ex) {
			this.lastError = String.valueOf(ex);
			logger.warn("Heartbeat of instance '{}' failed; retrying", this.instance.id(), ex);
			schedule(this.check.heartbeatPeriod());
		}
	}

	private void heartbeat() {
		if (this.check.type() == CheckType.HTTP && !this.agent.knowsService(this.instance.id())) {
			lost();
			return;
		}
		applyStatus(this.instance.status());
	}

	private void lost() {
		logger.warn("The Consul agent forgot instance '{}' of service '{}'; registering it again", this.instance.id(),
				this.instance.service());
		this.state = RegistrationState.LOST;
		this.failedRestores = 0;
		schedule(Duration.ZERO);
	}

	private void schedule(Duration delay) {
		if (this.next != null) {
			this.next.cancel(false);
		}
		try {
			this.next = this.scheduler.schedule(this::tick, delay.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (RejectedExecutionException ex) {
			// the backend is closing or crashed: nothing keeps the instance alive any more
		}
	}

	private void deregisterQuietly() {
		try {
			this.agent.deregister(this.instance.id());
		}
		catch (ConsulCallException ex) {
			logger.warn("Could not deregister instance '{}'; Consul removes it {} after its check turns critical: {}",
					this.instance.id(), this.check.deregisterCriticalAfter(), ex.getMessage());
		}
	}

}
