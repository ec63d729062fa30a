#!/usr/bin/env bash
# Trains the service's AOT cache (JDK 25+): starts `chatops serve` on a throw-away configuration,
# asks it to be ready, stops it, and keeps target/chatops-serve.aot, which
# bin/chatops then uses for serve and demo (classes loaded and linked ahead of time: a faster
# start). Run it once after each build, e.g. when installing; it changes nothing else.
set -euo pipefail

cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.."
# shellcheck source=scripts/jdk.sh
source scripts/jdk.sh
chatops_select_jdk
if [ "$(chatops_jdk_major "$JAVA_HOME")" -lt 25 ]; then
  echo "aot-cache: JDK 25 or newer needed for AOT caches (found $JAVA_HOME); the CDS archive is used instead"
  exit 0
fi
[ -f target/chatops.jar ] || ./mvnw -B -q -DskipTests package

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mkdir -p "$work/intents" "$work/stacks/web"
printf 'services: {app: {image: busybox}}\n' >"$work/stacks/web/compose.yaml"
printf 'name: restart-web\naction: restart\nstack: web\n' >"$work/intents/restart.yaml"
printf 'server: {bind: 127.0.0.1, port: %s}\nintents: {dir: ./intents}\nstacks: {roots: [./stacks]}\nstore: {url: "sqlite:./chatops.db"}\n' \
  "$port" >"$work/chatops.yaml"

rm -f target/chatops-serve.aot
"$JAVA_HOME/bin/java" -XX:AOTCacheOutput=target/chatops-serve.aot -XX:+UseSerialGC -Xmx256m \
  -jar target/chatops.jar serve --config "$work/chatops.yaml" >"$work/train.log" 2>&1 &
pid=$!
base="http://127.0.0.1:$port"
until curl -s -o /dev/null "$base/health"; do sleep 0.05; done
# A light training: what a start loads. Training under load makes the cache preload the classes
# and profiles of every request path at start, which costs about 25 MiB of resident memory.
curl -s -o /dev/null "$base/ready"
curl -s -o /dev/null -X POST "$base/api/v1/intents/restart-web/executions" -H "X-API-Key: chk_nope"
kill "$pid"
wait "$pid" || true
if [ -f target/chatops-serve.aot ]; then
  echo "aot-cache: wrote target/chatops-serve.aot ($(du -h target/chatops-serve.aot | cut -f1))"
else
  echo "aot-cache: no cache was written; see the JVM's messages:" >&2
  tail -n 20 "$work/train.log" >&2
  exit 1
fi
