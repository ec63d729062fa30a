#!/usr/bin/env bash
# ExecutionEvents benchmarks (figures for closing notes, never a test): the cost of a publish with
# 10 and with 10,000 executions kept and followed, from one thread and from two.
# Usage: scripts/bench-events.sh [JMH OPTIONS]
set -euo pipefail

cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.."
# shellcheck source=scripts/jdk.sh
source scripts/jdk.sh
chatops_select_jdk

./mvnw -B -q -DskipTests test-compile
classpath=$(./mvnw -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=/dev/stdout)
echo "== JMH: ExecutionEvents.publish with 10 and 10,000 followed executions"
"$JAVA_HOME/bin/java" -cp "target/test-classes:target/classes:$classpath" \
  org.openjdk.jmh.Main 'dev.chatops.bench.ExecutionEventsBenchmark' -rf json -rff target/jmh-events.json "$@"
