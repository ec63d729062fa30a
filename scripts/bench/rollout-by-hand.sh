#!/usr/bin/env bash
# The baseline of the executor benchmark: what an operator runs by hand for a health-gated rollout
# of some services of a stack with Compose v1: `up -d` (or `restart` with --restart), then wait
# until every container of those services is running and healthy, polling docker inspect every
# 0.25 s (ChatOps polls as often).
# Usage: rollout-by-hand.sh [--restart] PROJECT COMPOSE_FILE [SERVICE...]
set -euo pipefail
change=(up --detach)
if [ "${1:-}" = --restart ]; then
  change=(restart)
  shift
fi
project=$1
file=$2
shift 2

start=$(date +%s%N)
docker-compose --project-name "$project" --file "$file" "${change[@]}" "$@" 2>/dev/null
up_done=$(date +%s%N)

filters=(--filter "label=com.docker.compose.project=$project")
deadline=$((SECONDS + 120))
while :; do
  ready=1
  ids=()
  if [ "$#" -eq 0 ]; then
    mapfile -t ids < <(docker ps --all --quiet "${filters[@]}")
  else
    for service in "$@"; do
      mapfile -t more < <(docker ps --all --quiet "${filters[@]}" --filter "label=com.docker.compose.service=$service")
      ids+=("${more[@]}")
    done
  fi
  [ "${#ids[@]}" -gt 0 ] || ready=0
  if [ "$ready" -eq 1 ]; then
    while read -r state health; do
      if [ "$state" != running ] || { [ -n "$health" ] && [ "$health" != healthy ]; }; then
        ready=0
      fi
    done < <(docker container inspect --format '{{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{end}}' "${ids[@]}")
  fi
  if [ "$ready" -eq 1 ]; then
    # Phase timings for the benchmark: milliseconds of `up`, then of waiting for health.
    echo "$(((up_done - start) / 1000000)) $((($(date +%s%N) - up_done) / 1000000))"
    exit 0
  fi
  [ "$SECONDS" -lt "$deadline" ] || { echo "not healthy in time" >&2; exit 1; }
  sleep 0.25
done
