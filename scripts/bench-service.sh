#!/usr/bin/env bash
# Service benchmarks against a running server with wrk (figures for closing notes, never a test):
#   1. start to ready, and resident memory when idle (JVM flags printed);
#   2. rejected requests (a bad API key) per second and their latency at 32 connections, beside
#      adnanh/webhook 2.8 (Debian package `webhook`) rejecting a bad header token, same run;
#   3. authorised dry-run triggers per second, each durably audited before its 202;
#   4. the added cost of notifications: a second service, the same but for one generic webhook
#      channel (every event, dry runs included) delivering to a local receiver, beside the first,
#      alternating: dry-run triggers and rejections per second with and without it;
#   5. forged GitHub deliveries (an 8 KiB body, a wrong X-Hub-Signature-256) refused per second,
#      beside adnanh/webhook's payload-hmac-sha256 rule: both compute the HMAC of the body and
#      refuse with 401; chatops also audits (in aggregate) and counts the address's failures.
# Last measured for refusals (two cores): about 60,000 a second with the gate at Jetty's core
# (http.GateHandler), against about 25,000 when refusals went through Javalin.
# Usage: scripts/bench-service.sh [SECONDS]   (default 10 per wrk run)
set -euo pipefail

cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.."
# shellcheck source=scripts/jdk.sh
source scripts/jdk.sh
chatops_select_jdk
seconds=${1:-10}

missing=()
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
command -v webhook >/dev/null 2>&1 || missing+=(webhook)
if [ "${#missing[@]}" -gt 0 ]; then
  echo "== installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null
fi
./mvnw -B -q -DskipTests package

work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
chatops_port=$(free_port)
webhook_port=$(free_port)

mkdir -p "$work/intents" "$work/stacks/web"
printf 'services: {app: {image: busybox}}\n' >"$work/stacks/web/compose.yaml"
printf 'name: restart-web\naction: restart\nstack: web\n' >"$work/intents/restart.yaml"
cat >"$work/chatops.yaml" <<YAML
server: {bind: 127.0.0.1, port: $chatops_port}
intents: {dir: ./intents}
stacks: {roots: [./stacks]}
store: {url: "sqlite:./chatops.db"}
security:
  ip_allowlist: [127.0.0.1/32]
  rate_limit: {per_key: 1000000/min, per_ip: 1000000/min, auth_failures: 1000000/min}
github:
  webhook_secret_file: ./github-secret
  rules: [{repo: bench/infra, branch: main, labels: [deploy-approved], intents: [restart-web]}]
YAML
printf 'bench-github-secret\n' >"$work/github-secret"
chmod 600 "$work/github-secret"
key=$(bin/chatops keys create --name bench --config "$work/chatops.yaml" 2>/dev/null)
notify_port=$(free_port)
receiver_port=$(free_port)
printf 'bench-signing-secret\n' >"$work/webhook-secret"
chmod 600 "$work/webhook-secret"
sed -e "s/port: $chatops_port/port: $notify_port/" -e 's/chatops.db/notify.db/' \
  "$work/chatops.yaml" >"$work/notify.yaml"
cat >>"$work/notify.yaml" <<YAML
notify:
  - type: generic
    url: "http://127.0.0.1:$receiver_port/hook"
    secret_file: ./webhook-secret
    events: [auth_failure, ip_denied, label_mismatch, execution_failed, execution_succeeded, rolled_back, dry_run]
YAML
notify_key=$(bin/chatops keys create --name bench --config "$work/notify.yaml" 2>/dev/null)

ready_url="http://127.0.0.1:$chatops_port/ready"
await_ready() {
  until curl -s -o /dev/null -w '%{http_code}' "$ready_url" 2>/dev/null | grep -q 200; do sleep 0.02; done
}
echo "== start to ready (bin/chatops serve), JVM flags:"
if [ -n "${JAVA_OPTS:-}" ]; then
  echo "   JAVA_OPTS=$JAVA_OPTS"
else
  sed -n '/^  serve | demo)$/,/;;$/p' bin/chatops | grep -v '^ *#' | sed 's/^ */   /'
fi
bin/chatops serve --config "$work/chatops.yaml" >/dev/null 2>&1 & # a first start writes the CDS archive
warm=$!
await_ready
kill "$warm"
wait "$warm" 2>/dev/null || true
start=$(date +%s%N)
bin/chatops serve --config "$work/chatops.yaml" >"$work/serve.log" 2>&1 &
pids+=($!)
await_ready
ready=$(date +%s%N)
echo "   start to ready: $(((ready - start) / 1000000)) ms"
java_pid=$(pgrep -f "chatops.jar serve --config $work/chatops.yaml" | head -n 1)
sleep 10 # idle: the start's compilations are done and their freed memory trimmed
rss_kib=$(ps -o rss= -p "$java_pid")
echo "   resident memory idle (10 s after ready): $((rss_kib / 1024)) MiB = $((rss_kib * 1024 / 1000000)) MB"

cat >"$work/hooks.json" <<JSON
[{"id": "deploy", "execute-command": "/bin/true", "trigger-rule-mismatch-http-response-code": 401,
  "trigger-rule": {"match": {"type": "value", "value": "$key",
    "parameter": {"source": "header", "name": "X-API-Key"}}}},
 {"id": "github", "execute-command": "/bin/true", "trigger-rule-mismatch-http-response-code": 401,
  "trigger-rule": {"match": {"type": "payload-hmac-sha256", "secret": "bench-github-secret",
    "parameter": {"source": "header", "name": "X-Hub-Signature-256"}}}}]
JSON
webhook -hooks "$work/hooks.json" -ip 127.0.0.1 -port "$webhook_port" >"$work/webhook.log" 2>&1 &
pids+=($!)
until curl -s -o /dev/null "http://127.0.0.1:$webhook_port/hooks/deploy" 2>/dev/null; do sleep 0.02; done

bad_key="chk_$(head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=' | cut -c1-42)A"
cat >"$work/bad.lua" <<LUA
wrk.method = "POST"
wrk.headers["X-API-Key"] = "$bad_key"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"dry_run":true}'
LUA
cat >"$work/dry.lua" <<LUA
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer $key"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"dry_run":true}'
LUA

run() { # name url script
  echo "== $1"
  wrk -t2 -c32 -d"${seconds}s" --latency -s "$3" "$2" | grep -E 'Requests/sec|Non-2xx|99%|50%|requests in|Socket errors'
}
rate() { # url script: requests per second, and the 99th percentile
  wrk -t2 -c32 -d"${seconds}s" --latency -s "$2" "$1" |
    awk '/Requests\/sec/ {rps = $2} / 99%/ {p99 = $2} END {printf "%.0f/s p99 %s", rps, p99}'
}
url="http://127.0.0.1:$chatops_port/api/v1/intents/restart-web/executions"
hook="http://127.0.0.1:$webhook_port/hooks/deploy"
wrk -t2 -c32 -d15s -s "$work/bad.lua" "$url" >/dev/null # warm-up: the JIT needs load to settle
wrk -t2 -c32 -d15s -s "$work/bad.lua" "$hook" >/dev/null
echo "== rejections, bad key, 32 connections, ${seconds} s each, alternating (the two share the cores)"
echo "   adnanh/webhook 2.8: header token rule, 401; chatops: 401 problem+json, audited in aggregate"
ratios=()
for round in 1 2 3 4 5; do
  peer=$(rate "$hook" "$work/bad.lua")
  ours=$(rate "$url" "$work/bad.lua")
  ratio=$(awk -v a="${ours%%/*}" -v b="${peer%%/*}" 'BEGIN {printf "%.2f", a / b}')
  ratios+=("$ratio")
  echo "   round $round: webhook $peer | chatops $ours | ratio $ratio"
done
echo "   median ratio: $(printf '%s\n' "${ratios[@]}" | sort -n | sed -n 3p) (chatops / webhook)"
wrk -t2 -c32 -d5s -s "$work/dry.lua" "$url" >/dev/null
run "authorised dry-run triggers: chatops (202 after a durable audit record)" "$url" "$work/dry.lua"

cat >"$work/receiver.py" <<'PY'
import http.server, sys
class Receiver(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(204)
        self.send_header("Content-Length", "0")
        self.end_headers()
    def log_message(self, *args):
        pass
http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Receiver).serve_forever()
PY
python3 "$work/receiver.py" "$receiver_port" &
pids+=($!)
bin/chatops serve --config "$work/notify.yaml" >"$work/notify.log" 2>&1 &
pids+=($!)
ready_url="http://127.0.0.1:$notify_port/ready"
await_ready
notify_url="http://127.0.0.1:$notify_port/api/v1/intents/restart-web/executions"
sed "s/$key/$notify_key/" "$work/dry.lua" >"$work/notify-dry.lua"
wrk -t2 -c32 -d15s -s "$work/notify-dry.lua" "$notify_url" >/dev/null # warm-up
wrk -t2 -c32 -d15s -s "$work/bad.lua" "$notify_url" >/dev/null
echo "== notifications: one generic webhook channel to a local receiver (every dry run and refusal"
echo "   routed into the outbox in its audit record's transaction, then delivered), beside none"
for kind in dry bad; do
  ratios=()
  for round in 1 2 3; do
    if [ "$kind" = dry ]; then plain="$work/dry.lua" notified="$work/notify-dry.lua"; else plain="$work/bad.lua" notified="$work/bad.lua"; fi
    without=$(rate "$url" "$plain")
    with=$(rate "$notify_url" "$notified")
    ratio=$(awk -v a="${with%%/*}" -v b="${without%%/*}" 'BEGIN {printf "%.2f", a / b}')
    ratios+=("$ratio")
    echo "   $kind round $round: without $without | with $with | ratio $ratio"
  done
  echo "   $kind median ratio: $(printf '%s\n' "${ratios[@]}" | sort -n | sed -n 2p) (with / without)"
done
python3 -c 'import json; print(json.dumps({"action": "closed", "number": 1, "zen": "x" * 8000}))' \
  >"$work/delivery.json"
cat >"$work/forged.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-GitHub-Event"] = "pull_request"
wrk.headers["X-GitHub-Delivery"] = "72d3162e-cc78-11e3-81ab-4c9367dc0958"
wrk.headers["X-Hub-Signature-256"] = "sha256=$(printf '0%.0s' $(seq 64))"
local file = io.open("$work/delivery.json", "rb")
wrk.body = file:read("*a")
file:close()
LUA
github_url="http://127.0.0.1:$chatops_port/hooks/github"
github_hook="http://127.0.0.1:$webhook_port/hooks/github"
wrk -t2 -c32 -d10s -s "$work/forged.lua" "$github_url" >/dev/null # warm-up
wrk -t2 -c32 -d10s -s "$work/forged.lua" "$github_hook" >/dev/null
echo "== forged GitHub deliveries (8 KiB body, wrong signature), 32 connections, alternating"
echo "   adnanh/webhook 2.8: payload-hmac-sha256 rule, 401; chatops: 401 problem+json, audited"
ratios=()
for round in 1 2 3 4 5; do
  peer=$(rate "$github_hook" "$work/forged.lua")
  ours=$(rate "$github_url" "$work/forged.lua")
  ratio=$(awk -v a="${ours%%/*}" -v b="${peer%%/*}" 'BEGIN {printf "%.2f", a / b}')
  ratios+=("$ratio")
  echo "   round $round: webhook $peer | chatops $ours | ratio $ratio"
done
echo "   median ratio: $(printf '%s\n' "${ratios[@]}" | sort -n | sed -n 3p) (chatops / webhook)"
sleep 5 # the outbox drains
kill "${pids[0]}" "${pids[-1]}"
wait "${pids[0]}" "${pids[-1]}" 2>/dev/null || true
echo "== after the runs"
bin/chatops audit verify --config "$work/chatops.yaml"
bin/chatops audit verify --config "$work/notify.yaml"
bin/chatops notify outbox --limit 1 --config "$work/notify.yaml" | head -n 1
echo "   executions recorded: $(bin/chatops history --limit 1000 --config "$work/chatops.yaml" | tail -n +2 | wc -l) (history shows at most 1000)"
