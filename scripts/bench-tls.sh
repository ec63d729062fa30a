#!/usr/bin/env bash
# The built-in HTTPS listener beside plain HTTP, in one run: wrk on /health of two started services
# (plain, and server.tls with a P-256 certificate made here), keep-alive and a new connection per
# request (a full handshake each). Usage: scripts/bench-tls.sh [SECONDS]
# Needs wrk, openssl, curl and python3 (Debian packages).
set -euo pipefail
cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.."
# shellcheck source=scripts/jdk.sh
source scripts/jdk.sh
chatops_select_jdk
[ -f target/chatops.jar ] || ./mvnw -B -q -DskipTests -Djacoco.skip=true -Dspotbugs.skip=true package
seconds=${1:-10}
work=$(mktemp -d); pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
mkdir -p "$work/intents" "$work/stacks/web"
printf 'services: {app: {image: busybox}}\n' >"$work/stacks/web/compose.yaml"
printf 'name: restart-web\naction: restart\nstack: web\n' >"$work/intents/restart.yaml"
OPENSSL_CONF=/dev/null openssl req -x509 -nodes -newkey ec -pkeyopt ec_paramgen_curve:P-256 -keyout "$work/key.pem" -out "$work/cert.pem" -days 2 -subj /CN=localhost -addext subjectAltName=IP:127.0.0.1 2>/dev/null
chmod 600 "$work/key.pem"
for mode in plain tls; do
  port=$(free_port)
  tls=""; [ $mode = tls ] && tls="  tls: {cert_file: ./cert.pem, key_file: ./key.pem}"
  cat >"$work/$mode.yaml" <<YAML
server:
  bind: 127.0.0.1
  port: $port
$tls
intents: {dir: ./intents}
stacks: {roots: [./stacks]}
store: {url: "sqlite:./$mode.db"}
security:
  rate_limit: {per_key: 1000000/min, per_ip: 1000000/min}
YAML
  "$JAVA_HOME/bin/java" -XX:+UseSerialGC -Xmx256m -jar target/chatops.jar serve --config "$work/$mode.yaml" >"$work/$mode.log" 2>&1 & pids+=($!)
  scheme=http; [ $mode = tls ] && scheme=https
  for _ in $(seq 100); do curl -ks "$scheme://127.0.0.1:$port/health" >/dev/null && break; sleep 0.2; done
  wrk -t1 -c4 -d3s "$scheme://127.0.0.1:$port/health" >/dev/null   # warm-up
  echo "== $mode keep-alive"; wrk -t1 -c4 -d"${seconds}s" "$scheme://127.0.0.1:$port/health" | grep -E "Requests/sec|Latency"
  echo "== $mode new connection per request"; wrk -t1 -c4 -d"${seconds}s" -H "Connection: close" "$scheme://127.0.0.1:$port/health" | grep -E "Requests/sec|Latency"
done
