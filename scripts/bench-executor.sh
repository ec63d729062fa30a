#!/usr/bin/env bash
# Executor benchmarks against the real Docker engine (figures for closing notes, never a test):
# a rollout by ChatOps against the same docker-compose commands run by hand, interleaved in one
# run, a parallel batch of three stacks against the slowest of them alone, and a parallel batch
# that only restarts the three (ChatOps's own share) against three restarts by hand at once.
# Usage: scripts/bench-executor.sh [ITERATIONS]   (default 8)
set -euo pipefail

cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.."
# shellcheck source=scripts/jdk.sh
source scripts/jdk.sh
chatops_select_jdk

scripts/test-env.sh
./mvnw -B -q -DskipTests test-compile
classpath=$(./mvnw -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=/dev/stdout)
"$JAVA_HOME/bin/java" -cp "target/test-classes:target/classes:$classpath" \
  dev.chatops.bench.ExecutorBenchmark "${1:-8}"
