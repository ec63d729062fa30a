#!/usr/bin/env bash
# Runs every test of ChatOps on a fresh Debian 12 machine with only a JDK and Maven: installs and
# starts what the tests need (scripts/test-env.sh: Docker engine, Compose v1, the Compose v2 plugin,
# example images), then runs the Maven build with its formatter check, static analysis and all test
# suites; the tests that run Compose run twice, under v1 and under the v2 plugin.
set -euo pipefail

cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.."
# shellcheck source=scripts/jdk.sh
source scripts/jdk.sh
chatops_select_jdk
echo "test: using JDK at $JAVA_HOME"

scripts/test-env.sh
./mvnw -B verify "-Dchatops.compose.v2.config=$(scripts/compose-plugin.sh dir)" "$@"
