#!/usr/bin/env bash
# Dashboard benchmark (figures for closing notes, never a test), on a store of COUNT executions:
#   1. GET /ui/executions signed in: the first page, a filtered page (a stack and a status), and a
#      page 20 pages deep (by cursor), with wrk at 4 connections: p50/p95/p99 and requests per
#      second, beside GET /health on the same server and adnanh/webhook 2.8 (Debian package
#      `webhook`) refusing a request (its cheapest answer), same run. Target: p95 < 100 ms.
#   2. GET /metrics (when the route exists) at 1 connection: p50/p95/p99. Target: p95 < 50 ms.
#   3. Resident memory idle (10 s after a 10 s warm-up) with ui.enabled and metrics.enabled both
#      true, then both false, each a fresh start on the same store. Target: at most 10 MB more.
# The store is filled once by dev.chatops.bench.FillStore through the store's API (about 4
# minutes for 100,000 on two cores) and kept in target/bench-dashboard-COUNT for later runs.
# The server is dev.chatops.bench.DashboardServer: `chatops serve` with a session opened in the
# process (until the dashboard's sign-in with a ui key exists), with the flags bin/chatops gives
# `serve`.
# Usage: scripts/bench-dashboard.sh [SECONDS] [COUNT]   (defaults 10 per wrk run, 100000)
set -euo pipefail

cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.."
# shellcheck source=scripts/jdk.sh
source scripts/jdk.sh
chatops_select_jdk
seconds=${1:-10}
count=${2:-100000}

missing=()
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
command -v webhook >/dev/null 2>&1 || missing+=(webhook)
if [ "${#missing[@]}" -gt 0 ]; then
  echo "== installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null
fi
./mvnw -B -q -DskipTests package
classpath=target/chatops.jar:target/test-classes

store=target/bench-dashboard-$count
if [ ! -f "$store/chatops.db" ]; then
  echo "== filling $store with $count executions (through the store's API)"
  rm -rf "$store" && mkdir -p "$store"
  "$JAVA_HOME/bin/java" -cp "$classpath" dev.chatops.bench.FillStore "$store" "$count" 2>/dev/null
fi

work=$(mktemp -d)
pids=()
server=""
cleanup() {
  [ -z "$server" ] || kill "$server" 2>/dev/null || true
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port=$(free_port)
webhook_port=$(free_port)
base="http://127.0.0.1:$port"

# The configuration lives beside the store (the service adds only its start and stop records).
conf="$store/bench.yaml"

config() { # ui-and-metrics: true or false
  cat >"$conf" <<YAML
server: {bind: 127.0.0.1, port: $port}
intents: {dir: ./intents}
stacks: {roots: [./stacks]}
store: {url: "sqlite:./chatops.db"}
security:
  ip_allowlist: [127.0.0.1/32]
  rate_limit: {per_key: 1000000/min, per_ip: 1000000/min, auth_failures: 1000000/min}
ui: {enabled: $1}
metrics: {enabled: $1}
YAML
}
start() { # ui-and-metrics
  config "$1"
  rm -f "$store/cookie"
  "$JAVA_HOME/bin/java" -XX:+UseSerialGC -Xms8m -Xmx256m -XX:ReservedCodeCacheSize=64m \
    -XX:TrimNativeHeapInterval=2000 -cp "$classpath" dev.chatops.bench.DashboardServer \
    "$conf" >"$work/server.log" 2>&1 &
  server=$!
  until [ -f "$store/cookie" ] && curl -s -o /dev/null "$base/health"; do sleep 0.05; done
}
stop() {
  kill "$server"
  wait "$server" 2>/dev/null || true
  server=""
}

cat >"$work/percentiles.lua" <<'LUA'
done = function(summary, latency, requests)
  io.write(string.format("p50 %.1f ms  p95 %.1f ms  p99 %.1f ms  %.0f req/s  (%d requests, %d errors, %d non-2xx)\n",
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.requests / (summary.duration / 1e6), summary.requests,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status))
end
LUA
measure() { # label connections url [header]
  printf '   %-44s ' "$1"
  if [ -n "${4:-}" ]; then
    wrk -t1 -c"$2" -d"${seconds}s" -H "$4" -s "$work/percentiles.lua" "$3" | tail -n 1
  else
    wrk -t1 -c"$2" -d"${seconds}s" -s "$work/percentiles.lua" "$3" | tail -n 1
  fi
}

echo "== ui and metrics enabled; $count executions; wrk -t1, $seconds s a run"
start true
cookie="Cookie: chatops_session=$(cat "$store/cookie")"
page() { curl -s -H "$cookie" "$1"; }
# 20 pages deep, following the "Older" link.
deep="/ui/executions"
for _ in $(seq 20); do
  deep=$(page "$base$deep" | sed -n 's/.*href="\([^"]*\)" rel="next".*/\1/p' | sed 's/&amp;/\&/g')
done
[ "$(curl -s -o /dev/null -w '%{http_code}' -H "$cookie" "$base/ui/executions")" = 200 ] || {
  echo "the executions page does not answer 200"; exit 1; }
rows=$(page "$base/ui/executions?stack=db&status=failed" | grep -c '<tr>' || true)
echo "   (filtered page: stack=db&status=failed, $((rows - 1)) rows; deep page: $(echo "$deep" | cut -c1-60)...)"
wrk -t1 -c4 -d10s -H "$cookie" "$base/ui/executions" >/dev/null # warm-up: the JIT settles
wrk -t1 -c4 -d5s -H "$cookie" "$base/ui/executions?stack=db&status=failed" >/dev/null

cat >"$work/hooks.json" <<JSON
[{"id": "deploy", "execute-command": "/bin/true", "trigger-rule-mismatch-http-response-code": 401,
  "trigger-rule": {"match": {"type": "value", "value": "secret",
    "parameter": {"source": "header", "name": "X-Token"}}}}]
JSON
webhook -hooks "$work/hooks.json" -ip 127.0.0.1 -port "$webhook_port" >"$work/webhook.log" 2>&1 &
pids+=($!)
until curl -s -o /dev/null "http://127.0.0.1:$webhook_port/hooks/deploy" 2>/dev/null; do sleep 0.02; done

measure "GET /ui/executions (first page)" 4 "$base/ui/executions" "$cookie"
measure "GET /ui/executions?stack=db&status=failed" 4 "$base/ui/executions?stack=db&status=failed" "$cookie"
measure "GET /ui/executions (20 pages deep)" 4 "$base$deep" "$cookie"
measure "GET /ui/executions?actor=ci (first page)" 4 "$base/ui/executions?actor=ci" "$cookie"
measure "baseline: GET /health (same server)" 4 "$base/health"
measure "baseline: adnanh/webhook refusing (401)" 4 "http://127.0.0.1:$webhook_port/hooks/deploy"
if [ "$(curl -s -o /dev/null -w '%{http_code}' "$base/metrics")" = 200 ]; then
  measure "GET /metrics (1 connection)" 1 "$base/metrics"
else
  echo "   GET /metrics: no such route in this build ($(curl -s -o /dev/null -w '%{http_code}' "$base/metrics"))"
fi
stop

idle() { # prints the server's resident memory after 10 s idle, then stops it
  sleep 10 # idle: the warm-up's compilations are done and their freed memory trimmed
  local kib
  kib=$(ps -o rss= -p "$server")
  stop
  echo "$((kib / 1024)) MiB"
}
on() {
  start true
  wrk -t1 -c4 -d10s -H "Cookie: chatops_session=$(cat "$store/cookie")" "$base/ui/executions" >/dev/null
  if [ "$(curl -s -o /dev/null -w '%{http_code}' "$base/metrics")" = 200 ]; then
    for _ in $(seq 20); do curl -s -o /dev/null "$base/metrics"; done
  fi
  idle
}
off() {
  start false
  wrk -t1 -c4 -d10s "$base/health" >/dev/null
  idle
}
echo "== resident memory, idle 10 s after a 10 s warm-up (a fresh start each)"
echo "   ui and metrics disabled (warm-up: GET /health):                 $(off)"
echo "   ui and metrics enabled (warm-up: GET /ui/executions, /metrics): $(on)"
