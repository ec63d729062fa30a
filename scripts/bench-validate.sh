#!/usr/bin/env bash
# Validation benchmarks (figures for the README and closing notes, never timed unit tests):
#   1. JMH, in-process and warm: validating a folder of 1,000 intent files (target: under 1 s).
#   2. The command line, cold (a new JVM per run, as CI runs it): `chatops validate` on 100 files
#      (target: under 2 s), measured with hyperfine beside a bare `java -version` as the JVM floor.
# Usage: scripts/bench-validate.sh [jmh|cli]   (default: both)
set -euo pipefail

cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.."
# shellcheck source=scripts/jdk.sh
source scripts/jdk.sh
chatops_select_jdk
what=${1:-all}

./mvnw -B -q -DskipTests package test-compile
classpath=$(./mvnw -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=/dev/stdout)

if [ "$what" = all ] || [ "$what" = jmh ]; then
  echo "== JMH: validate 1,000 intent files in-process (warm)"
  "$JAVA_HOME/bin/java" -cp "target/test-classes:target/classes:$classpath" \
    org.openjdk.jmh.Main 'dev.chatops.bench.ValidateBenchmark' -rf json -rff target/jmh-validate.json
fi

if [ "$what" = all ] || [ "$what" = cli ]; then
  if ! command -v hyperfine >/dev/null 2>&1; then
    echo "== installing hyperfine"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q hyperfine >/dev/null
  fi
  corpus=$(mktemp -d)
  trap 'rm -rf "$corpus"' EXIT
  "$JAVA_HOME/bin/java" -cp "target/test-classes:target/classes:$classpath" \
    dev.chatops.bench.WriteCorpus "$corpus" 100
  bin/chatops validate --config "$corpus/chatops.yaml" >/dev/null 2>&1 # creates the CDS archive
  echo "== CLI: chatops validate on 100 files, a new JVM per run"
  hyperfine --warmup 1 --runs 15 --export-json target/hyperfine-validate.json \
    -n 'java -version (JVM floor)' "$JAVA_HOME/bin/java -Xshare:auto -version" \
    -n 'chatops validate (100 files)' "bin/chatops validate --config $corpus/chatops.yaml"
fi
