#!/usr/bin/env bash
# Scrape latency of GET /metrics (figures for closing notes, never a test), beside GET /health on
# the same server in the same run as the baseline: a service with metrics on and a bearer token,
# some executions and refusals recorded first (so every ChatOps series has samples), then wrk with
# 4 connections on each endpoint; p50, p95 and p99 in milliseconds, and the scrape's size.
# Target: a scrape under 50 ms.
# Usage: scripts/bench-metrics.sh [SECONDS]   (default 10 per wrk run)
set -euo pipefail

cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.."
# shellcheck source=scripts/jdk.sh
source scripts/jdk.sh
chatops_select_jdk
seconds=${1:-10}

if ! command -v wrk >/dev/null 2>&1; then
  echo "== installing wrk"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk >/dev/null
fi
./mvnw -B -q -DskipTests package

work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mkdir -p "$work/intents" "$work/stacks/web"
printf 'services: {app: {image: busybox}}\n' >"$work/stacks/web/compose.yaml"
printf 'name: restart-web\naction: restart\nstack: web\n' >"$work/intents/restart.yaml"
head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=' >"$work/metrics-token"
chmod 600 "$work/metrics-token"
token=$(cat "$work/metrics-token")
cat >"$work/chatops.yaml" <<YAML
server: {bind: 127.0.0.1, port: $port}
intents: {dir: ./intents}
stacks: {roots: [./stacks]}
store: {url: "sqlite:./chatops.db"}
security:
  ip_allowlist: [127.0.0.1/32]
  rate_limit: {per_key: 1000000/s, per_ip: 1000000/s, auth_failures: 1000000/s}
metrics: {enabled: true, token_file: ./metrics-token}
YAML
key=$(bin/chatops keys create --name bench --config "$work/chatops.yaml" 2>/dev/null)

bin/chatops serve --config "$work/chatops.yaml" >"$work/serve.log" 2>&1 &
pids+=($!)
until curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/ready" 2>/dev/null | grep -q 200; do
  sleep 0.05
done
base="http://127.0.0.1:$port"

cat >"$work/dry.lua" <<LUA
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer $key"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"dry_run":true}'
LUA
cat >"$work/bad.lua" <<LUA
wrk.method = "POST"
wrk.headers["X-API-Key"] = "chk_not-a-key"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"dry_run":true}'
LUA
echo "== recording executions and refusals (3 s each)"
wrk -t2 -c8 -d3s -s "$work/dry.lua" "$base/api/v1/intents/restart-web/executions" | grep -E 'requests in'
wrk -t2 -c8 -d3s -s "$work/bad.lua" "$base/api/v1/intents/restart-web/executions" | grep -E 'requests in'

# p50, p95 and p99 of each run, in milliseconds (wrk's --latency has no p95).
cat >"$work/percentiles.lua" <<'LUA'
done = function(summary, latency, requests)
  io.write(string.format("   %d requests, %d errors; p50 %.2f ms, p95 %.2f ms, p99 %.2f ms\n",
    summary.requests, summary.errors.status + summary.errors.connect + summary.errors.read
      + summary.errors.write + summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end
LUA
sed "1i wrk.headers[\"Authorization\"] = \"Bearer $token\"" "$work/percentiles.lua" >"$work/scrape.lua"

scrape_bytes=$(curl -s -H "Authorization: Bearer $token" "$base/metrics" | wc -c)
series=$(curl -s -H "Authorization: Bearer $token" "$base/metrics" | grep -vc '^#')
echo "== one scrape: $scrape_bytes bytes, $series samples"
# Warm-up: the JIT settles on both paths first.
wrk -t1 -c4 -d5s -s "$work/scrape.lua" "$base/metrics" >/dev/null
wrk -t1 -c4 -d5s -s "$work/percentiles.lua" "$base/health" >/dev/null
for round in 1 2; do
  echo "== round $round: GET /health (baseline), 4 connections, ${seconds}s"
  wrk -t1 -c4 -d"${seconds}s" -s "$work/percentiles.lua" "$base/health" | tail -n 1
  echo "== round $round: GET /metrics with its bearer token, 4 connections, ${seconds}s"
  wrk -t1 -c4 -d"${seconds}s" -s "$work/scrape.lua" "$base/metrics" | tail -n 1
done
