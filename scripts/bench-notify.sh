#!/usr/bin/env bash
# NoticeRouter benchmarks (figures for closing notes, never a test): the cost of routing one audit
# record to its notices inside the write transaction (a denial under a flood, large and small ends).
# Usage: scripts/bench-notify.sh [JMH OPTIONS]
set -euo pipefail

cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.."
# shellcheck source=scripts/jdk.sh
source scripts/jdk.sh
chatops_select_jdk

./mvnw -B -q -DskipTests test-compile
classpath=$(./mvnw -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=/dev/stdout)
echo "== JMH: NoticeRouter.route per record kind"
"$JAVA_HOME/bin/java" -cp "target/test-classes:target/classes:$classpath" \
  org.openjdk.jmh.Main 'dev.chatops.bench.NoticeRouterBenchmark' -rf json -rff target/jmh-notify.json "$@"
