#!/usr/bin/env bash
# Store benchmark (a figure for closing notes, never a test): durable `accept` (an execution and
# its audit record, committed and synced), durable audit `append`, and `deny`, each from 32
# threads at once against an SQLite file with group commit. Target: >= 2,000 accepts a second.
# Each runs without and with a notification router (routed=false/true: one outbox item per
# record, in its transaction; -p routed=false for the store alone).
# Usage: scripts/bench-store.sh [JMH OPTIONS...]   (e.g. -wi 1 -i 2 -r 5s for a shorter run)
# The database lives under java.io.tmpdir: keep it on the disk you mean to measure.
set -euo pipefail

cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.."
# shellcheck source=scripts/jdk.sh
source scripts/jdk.sh
chatops_select_jdk

./mvnw -B -q -DskipTests test-compile
classpath=$(./mvnw -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=/dev/stdout)
echo "== JMH: durable store writes from 32 threads (SQLite, WAL, synchronous=FULL)"
"$JAVA_HOME/bin/java" -cp "target/test-classes:target/classes:$classpath" \
  org.openjdk.jmh.Main 'dev.chatops.bench.StoreBenchmark' -rf json -rff target/jmh-store.json "$@"
