package dev.discovery.etcd.testserver;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.etcd.jetcd.Auth;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.etcd.jetcd.auth.Permission;

/**
 * Turns on authentication in a test etcd: a root user with a random password, and one
 * application user whose only role may read and write one key prefix.
 */
public final class EtcdAuthentication {

	private EtcdAuthentication() {
	}

	/**
	 * Creates the users and role, then enables authentication.
	 * @param endpoints the etcd to configure, which must not have authentication yet
	 * @param user the application user
	 * @param password the application user's password
	 * @param keyPrefix the only prefix the user may read and write, for example {@code /discovery/}
	 * @throws Exception if etcd refused a step or did not answer within 5 s
	 */
	public static void enable(List<String> endpoints, String user, String password, String keyPrefix)
			throws Exception {
		enable(Client.builder().endpoints(endpoints.toArray(String[]::new)), user, password, keyPrefix);
	}

	/**
	 * Creates the users and role through a client with settings of its own, such as TLS,
	 * then enables authentication.
	 * @param client the builder of the client that configures etcd, which must not have
	 * authentication yet
	 * @param user the application user
	 * @param password the application user's password
	 * @param keyPrefix the only prefix the user may read and write, for example {@code /discovery/}
	 * @throws Exception if etcd refused a step or did not answer within 5 s
	 */
	public static void enable(ClientBuilder client, String user, String password, String keyPrefix)
			throws Exception {
		try (Client admin = client.build()) {
			Auth auth = admin.getAuthClient();
			String role = user + "-role";
			await(auth.roleAdd(bytes("root")));
			await(auth.userAdd(bytes("root"), bytes(UUID.randomUUID().toString())));
			await(auth.userGrantRole(bytes("root"), bytes("root")));
			await(auth.roleAdd(bytes(role)));
			await(auth.roleGrantPermission(bytes(role), bytes(keyPrefix), bytes(prefixEnd(keyPrefix)),
					Permission.Type.READWRITE));
			await(auth.userAdd(bytes(user), bytes(password)));
			await(auth.userGrantRole(bytes(user), bytes(role)));
			await(auth.authEnable());
		}
	}

	private static String prefixEnd(String prefix) {
		char last = prefix.charAt(prefix.length() - 1);
		return prefix.substring(0, prefix.length() - 1) + (char) (last + 1);
	}

	private static void await(CompletableFuture<?> request) throws Exception {
		request.get(5, TimeUnit.SECONDS);
	}

	private static ByteSequence bytes(String value) {
		return ByteSequence.from(value, StandardCharsets.UTF_8);
	}

}
