package dev.discovery.samples.grpc.client;

import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * Calls the greeting servers a number of times ({@code --calls=N}, default 10) through the
 * Spring gRPC channel {@code greeting} ({@code discovery:///grpc-greeting}), prints who
 * answered, and exits.
 */
@SpringBootApplication
public class GrpcGreetingClientApplication {

	/**
	 * Prints the spread of the calls once the application is up.
	 * @param calls the greeting calls
	 * @return the runner
	 */
	@Bean
	ApplicationRunner printSpread(GreetingCalls calls) {
		return (args) -> {
			int count = args.containsOption("calls") ? Integer.parseInt(args.getOptionValues("calls").get(0)) : 10;
			calls.spread(count).forEach((answer, times) -> System.out.println(times + " x " + answer));
		};
	}

	/**
	 * Runs the client with the {@code client} profile added.
	 * @param args command-line arguments, for example {@code --calls=20 --spring.profiles.active=etcd}
	 */
	public static void main(String[] args) {
		SpringApplication.exit(application().run(args));
	}

	/**
	 * Returns the client application with its {@code client} profile, for main and tests.
	 * @return the application, not yet run
	 */
	public static SpringApplication application() {
		SpringApplication application = new SpringApplication(GrpcGreetingClientApplication.class);
		application.setAdditionalProfiles("client");
		return application;
	}

}
