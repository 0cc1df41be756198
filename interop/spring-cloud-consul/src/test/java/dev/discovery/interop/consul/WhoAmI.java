package dev.discovery.interop.consul;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Answers {@code GET /whoami} with the port and scheme the request reached, so that a
 * caller knows which instance answered and whether over https.
 */
@RestController
class WhoAmI {

	@GetMapping("/whoami")
	String whoAmI(HttpServletRequest request) {
		return answer(request.getLocalPort(), request.getScheme());
	}

	static String answer(int port, String scheme) {
		return port + " " + scheme;
	}

}
