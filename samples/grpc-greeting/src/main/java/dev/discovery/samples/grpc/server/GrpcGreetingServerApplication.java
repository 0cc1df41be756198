package dev.discovery.samples.grpc.server;

import com.google.protobuf.StringValue;
import dev.discovery.samples.grpc.Greeter;
import io.grpc.BindableService;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCalls;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * A gRPC-only application (no web server): Spring gRPC serves {@link Greeter#GREET}, and the
 * starter registers the instance on the gRPC server's port once it has started and
 * deregisters it before the server drains. Profiles {@code etcd} and {@code consul} point it
 * at a registry server; without them it uses the in-memory registry.
 */
@SpringBootApplication
public class GrpcGreetingServerApplication {

	/**
	 * The greeting service, answering with the id of the instance that served the call.
	 * @param instanceId this instance's id in the registry
	 * @return the service
	 */
	@Bean
	BindableService greeter(@Value("${discovery.instance.id}") String instanceId) {
		return () -> ServerServiceDefinition.builder(Greeter.SERVICE)
			.addMethod(Greeter.GREET, ServerCalls.asyncUnaryCall((request, response) -> {
				response.onNext(StringValue.of("Hello " + request.getValue() + " from " + instanceId));
				response.onCompleted();
			}))
			.build();
	}

	/**
	 * Starts the server with the {@code server} profile added.
	 * @param args command-line arguments, for example {@code --spring.profiles.active=etcd}
	 */
	public static void main(String[] args) {
		application().run(args);
	}

	/**
	 * Returns the server application with its {@code server} profile, for main and tests.
	 * @return the application, not yet run
	 */
	public static SpringApplication application() {
		SpringApplication application = new SpringApplication(GrpcGreetingServerApplication.class);
		application.setAdditionalProfiles("server");
		return application;
	}

}
