package dev.discovery.benchmarks.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The sample service of the startup measurement: a Spring Boot web + actuator app with one
 * endpoint. It prints {@value #READY} when ready, then shuts down. Run with or without the
 * discovery starter on the class path; nothing here refers to it. Given
 * {@value #HAND_WRITTEN_ETCD}{@code <endpoint>}, it registers itself in etcd with jetcd
 * directly, as {@link HandWrittenEtcdRegistration} describes; given
 * {@value #HAND_WRITTEN_ETCD_GATEWAY}{@code <endpoint>}, over etcd's JSON gateway, as
 * {@link HandWrittenEtcdGatewayRegistration} describes.
 */
@SpringBootApplication
@RestController
public class StartupSample {

	/** The line printed once the application is ready. */
	public static final String READY = "startup-sample-ready";

	/**
	 * The argument that, followed by an etcd endpoint, has the sample register itself there
	 * by hand ({@link HandWrittenEtcdRegistration}).
	 */
	public static final String HAND_WRITTEN_ETCD = "--startup-sample.hand-written-etcd=";

	/**
	 * The argument that, followed by an etcd endpoint, has the sample register itself there
	 * over etcd's JSON gateway by hand ({@link HandWrittenEtcdGatewayRegistration}).
	 */
	public static final String HAND_WRITTEN_ETCD_GATEWAY = "--startup-sample.hand-written-etcd-gateway=";

	/**
	 * Answers a greeting.
	 * @return the greeting
	 */
	@GetMapping("/hello")
	public String hello() {
		return "hello";
	}

	/**
	 * Starts the application, says when it is ready and exits.
	 * @param args Spring Boot arguments
	 */
	public static void main(String[] args) {
		SpringApplication application = new SpringApplication(StartupSample.class);
		for (String arg : args) {
			if (arg.startsWith(HAND_WRITTEN_ETCD)) {
				application.addListeners(new HandWrittenEtcdRegistration(arg.substring(HAND_WRITTEN_ETCD.length())));
			}
			if (arg.startsWith(HAND_WRITTEN_ETCD_GATEWAY)) {
				application.addListeners(
						new HandWrittenEtcdGatewayRegistration(arg.substring(HAND_WRITTEN_ETCD_GATEWAY.length())));
			}
		}
		application.addListeners((ApplicationListener<ApplicationReadyEvent>) (event) -> {
			System.out.println(READY);
			System.out.flush();
		});
		System.exit(SpringApplication.exit(application.run(args)));
	}

}
