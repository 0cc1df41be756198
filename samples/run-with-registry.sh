#!/usr/bin/env bash
# Runs the samples as separate processes against a real registry on this machine:
# etcd or Consul, two greeting-service instances (ports 8081, 8082), greeting-client (8080)
# and Spring Cloud Gateway in front of greeting-service, on WebFlux (8090) and on Web MVC (8091).
#
#   samples/run-with-registry.sh etcd|consul
#
# The registry binary comes from ETCD_BIN / CONSUL_BIN, the PATH, or the cache that
# `./mvnw -B verify` fills (~/.cache/discovery-test-servers). Ctrl-C stops the applications
# first, so that they deregister from the registry while it still runs, and then the registry.
# Every process runs in a session of its own, so that Ctrl-C reaches only this script. The
# logs are kept; their folder is printed at the start and at the end.
set -euo pipefail

registry="${1:-}"
if [[ "$registry" != "etcd" && "$registry" != "consul" ]]; then
	echo "usage: $0 etcd|consul" >&2
	exit 2
fi
# Ports the registry and the applications listen on; a process already on one of them would
# answer in their place.
if [[ "$registry" == "etcd" ]]; then ports=(2379 2380); else ports=(8500 8600); fi
ports+=(8080 8081 8082 8090 8091)
for port in "${ports[@]}"; do
	if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
		echo "Port $port on 127.0.0.1 is in use; stop what listens there (ss -ltnp 'sport = :$port') and run this again." >&2
		exit 1
	fi
done

root="$(cd "$(dirname "$0")/.." && pwd)"
cache="${HOME}/.cache/discovery-test-servers"
work="$(mktemp -d -t discovery-samples.XXXXXX)"
echo "Logs go to $work"
# The registry first, then the applications.
pids=()

running() {
	local state
	state="$(ps -o stat= -p "$1" 2>/dev/null)" && [[ "$state" != Z* ]]
}

# Sends SIGTERM to the given processes and waits for them to exit; those still running
# after 20 s are killed.
terminate() {
	local pid
	(($#)) || return 0
	kill "$@" 2>/dev/null || true
	for _ in $(seq 1 200); do
		for pid in "$@"; do
			if running "$pid"; then
				sleep 0.1
				continue 2
			fi
		done
		break
	done
	for pid in "$@"; do
		if running "$pid"; then
			echo "pid $pid did not stop within 20 s; killing it" >&2
			kill -9 "$pid" 2>/dev/null || true
		fi
	done
	wait "$@" 2>/dev/null || true
}

stop() {
	trap '' INT TERM
	if ((${#pids[@]})); then
		echo "Stopping the applications, then $registry..."
		terminate "${pids[@]:1}"
		terminate "${pids[0]}"
	fi
	rm -rf "$work/etcd" "$work/operator-password"
	echo "Stopped. Logs kept in $work"
}
trap stop EXIT
trap "exit 130" INT TERM

binary() {
	local name="$1" variable="$2" cached="$3"
	if [[ -n "${!variable:-}" ]]; then
		echo "${!variable}"
	elif command -v "$name" >/dev/null; then
		command -v "$name"
	elif [[ -x "$cached" ]]; then
		echo "$cached"
	else
		echo "No $name binary: set $variable, put $name on the PATH, or run ./mvnw -B verify once to fetch it." >&2
		exit 1
	fi
}

echo "Building the sample applications..."
(cd "$root" && ./mvnw -q -pl samples/greeting-service,samples/greeting-client,samples/gateway,samples/gateway-mvc -am -DskipTests package)

if [[ "$registry" == "etcd" ]]; then
	etcd="$(binary etcd ETCD_BIN "$cache/etcd-server-3.5.16/usr/bin/etcd")"
	setsid "$etcd" --data-dir "$work/etcd" --listen-client-urls http://127.0.0.1:2379 \
		--advertise-client-urls http://127.0.0.1:2379 --listen-peer-urls http://127.0.0.1:2380 \
		>"$work/etcd.log" 2>&1 &
else
	consul="$(binary consul CONSUL_BIN "$cache/consul-1.8.7/usr/bin/consul")"
	setsid "$consul" agent -dev -bind 127.0.0.1 -client 127.0.0.1 -http-port 8500 >"$work/consul.log" 2>&1 &
fi
pids+=($!)
if [[ "$registry" == "etcd" ]]; then ready="http://127.0.0.1:2379/health"; else ready="http://127.0.0.1:8500/v1/status/leader"; fi
for _ in $(seq 1 100); do
	if ! running "${pids[0]}"; then
		echo "$registry exited at start; the end of its log ($work/$registry.log):" >&2
		tail -5 "$work/$registry.log" >&2
		exit 1
	fi
	curl -fs "$ready" 2>/dev/null | grep -q '[a-z0-9]' && break
	sleep 0.1
done
echo "$registry started (log: $work/$registry.log)"

# The operator who may drain a greeting-service instance (POST /actuator/discovery):
# SPRING_SECURITY_USER_PASSWORD if it is set, else a password made for this run and kept,
# readable only by you, in a file that is deleted when the script stops.
if [[ -n "${SPRING_SECURITY_USER_PASSWORD:-}" ]]; then
	operator_password='$SPRING_SECURITY_USER_PASSWORD'
else
	SPRING_SECURITY_USER_PASSWORD="$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
	(umask 077 && printf '%s\n' "$SPRING_SECURITY_USER_PASSWORD" >"$work/operator-password")
	operator_password="\$(cat $work/operator-password)"
fi
export SPRING_SECURITY_USER_PASSWORD

start() {
	local module="$1" main="$2" port="$3"
	local classpath
	classpath="$root/samples/$module/target/classes:$(cat "$root/samples/$module/target/runtime-classpath.txt")"
	setsid java -cp "$classpath" "$main" --spring.profiles.active="$registry" --server.port="$port" \
		>"$work/$module-$port.log" 2>&1 &
	pids+=($!)
	echo "$module on port $port, pid $! (log: $work/$module-$port.log)"
}

start greeting-service dev.discovery.samples.greeting.GreetingServiceApplication 8081
start greeting-service dev.discovery.samples.greeting.GreetingServiceApplication 8082
start greeting-client dev.discovery.samples.client.GreetingClientApplication 8080
start gateway dev.discovery.samples.gateway.GatewayApplication 8090
start gateway-mvc dev.discovery.samples.gatewaymvc.GatewayMvcApplication 8091

echo "Waiting for the client and the gateways to reach both services..."
for _ in $(seq 1 120); do
	if curl -fs "http://127.0.0.1:8080/spread?calls=10" 2>/dev/null | grep -q '"failed":0' \
		&& curl -fs http://127.0.0.1:8090/greeting >/dev/null 2>&1 \
		&& curl -fs http://127.0.0.1:8091/greeting >/dev/null 2>&1; then
		break
	fi
	sleep 1
done
cat <<TEXT

Running. Try:
  curl 'http://127.0.0.1:8080/spread?calls=10'        # who answered each call
  curl http://127.0.0.1:8090/greeting                  # through Spring Cloud Gateway (WebFlux)
  curl http://127.0.0.1:8091/greeting                  # through Spring Cloud Gateway Server Web MVC
  curl http://127.0.0.1:8081/actuator/discovery        # what greeting-service sees
  curl -u "operator:$operator_password" -H 'Content-Type: application/json' \\
       -d '{"status":"OUT_OF_SERVICE"}' http://127.0.0.1:8081/actuator/discovery   # drain it
  kill -9 ${pids[1]}                                     # kill the instance on 8081, then call again:
                                                       # the gateways retry on the other one
Ctrl-C stops everything.
TEXT
wait
