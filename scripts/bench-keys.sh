#!/usr/bin/env bash
# KeyRing benchmark (figures for closing notes and docs/ARCHITECTURE.md, never a test): one
# KeyRing.check against 100 and 1,000 stored keys, for a well-formed key that is not stored and
# for the first and the last stored key (the scan has no early exit: all three should cost the
# same), beside SHA-256 of one key alone.
# Last measured (two cores, JDK 25): about 3 µs for 100 keys and 30 µs for 1,000, some 30 ns per
# stored hash; SHA-256 itself 0.14 µs.
# Usage: scripts/bench-keys.sh [JMH OPTIONS]
set -euo pipefail

cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.."
# shellcheck source=scripts/jdk.sh
source scripts/jdk.sh
chatops_select_jdk

./mvnw -B -q -DskipTests test-compile
classpath=$(./mvnw -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=/dev/stdout)
echo "== JMH: KeyRing.check with 100 and 1,000 stored keys"
"$JAVA_HOME/bin/java" -cp "target/test-classes:target/classes:$classpath" \
  org.openjdk.jmh.Main 'dev.chatops.bench.KeyRingBenchmark' -rf json -rff target/jmh-keys.json "$@"
