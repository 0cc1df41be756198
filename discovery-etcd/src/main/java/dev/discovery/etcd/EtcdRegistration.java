package dev.discovery.etcd;

import dev.discovery.core.InstanceStatus;
import dev.discovery.core.Registration;
import dev.discovery.core.RegistrationState;
import dev.discovery.core.ServiceInstance;
import io.etcd.jetcd.ByteSequence;
import org.jspecify.annotations.Nullable;

/**
 * One registration held by a {@link Registrations}. Thread-safe: writes and the close of
 * one registration are serialised on the registration itself, so that nothing is written
 * after it was closed.
 */
final class EtcdRegistration implements Registration {

	private final Registrations owner;

	private final ByteSequence key;

	private volatile ServiceInstance instance;

	private volatile RegistrationState state = RegistrationState.REGISTERING;

	private @Nullable ByteSequence attemptedValue;

	EtcdRegistration(Registrations owner, ByteSequence key, ServiceInstance instance) {
		this.owner = owner;
		this.key = key;
		this.instance = instance;
	}

	@Override
	public ServiceInstance instance() {
		return this.instance;
	}

	@Override
	public RegistrationState state() {
		return this.state;
	}

	@Override
	public void setStatus(InstanceStatus status) {
		synchronized (this) {
			if (this.state == RegistrationState.CLOSED) {
				throw Registration.closed(this.instance);
			}
			this.instance = this.instance.withStatus(status);
		}
		this.owner.writeLater(this);
	}

	@Override
	public void close() {
		this.owner.deregister(this);
	}

	ByteSequence key() {
		return this.key;
	}

	synchronized boolean isClosed() {
		return this.state == RegistrationState.CLOSED;
	}

	/**
	 * Notes the value about to be written, so that a later deregistration deletes the key
	 * only while it still holds this registration's value.
	 * @param value the value
	 */
	synchronized void writing(ByteSequence value) {
		this.attemptedValue = value;
	}

	synchronized void written() {
		if (this.state != RegistrationState.CLOSED) {
			this.state = RegistrationState.REGISTERED;
		}
	}

	synchronized void lost() {
		if (this.state == RegistrationState.REGISTERED) {
			this.state = RegistrationState.LOST;
		}
	}

	/**
	 * Marks the registration closed.
	 * @return the value it last tried to write, or {@code null} if it never tried or was
	 * closed already
	 */
	synchronized @Nullable ByteSequence markClosed() {
		if (this.state == RegistrationState.CLOSED) {
			return null;
		}
		this.state = RegistrationState.CLOSED;
		return this.attemptedValue;
	}

	@Override
	public String toString() {
		return "EtcdRegistration[" + this.instance.service() + "/" + this.instance.id() + ", " + this.state + "]";
	}

}
