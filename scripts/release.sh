#!/usr/bin/env bash
# Builds a ChatOps release into OUT_DIR: the jar, its CycloneDX SBOM (JSON) and, unless
# --no-image, the container image saved as a gzipped tar; then SHA256SUMS over them, checked with
# `sha256sum -c` before the summary is printed.
#
#   scripts/release.sh [options] OUT_DIR
#     --no-image          the jar and the SBOM only
#     --skip-tests        `./mvnw package` without the tests (default: `./mvnw verify`, the whole
#                         build of scripts/test.sh: tests, ErrorProne, SpotBugs, formatting; the
#                         test environment of scripts/test-env.sh must be ready)
#     --skip-build        release target/chatops.jar and target/chatops.cdx.json as they are (a
#                         build of this commit already ran); their version must be the pom's
#     --allow-dirty       release from a tree with uncommitted changes (said in the summary)
#     --build-arg K=V     passed to `docker build` (repeatable): BUILD_IMAGE, RUNTIME_IMAGE,
#                         DOCKER_CLI_IMAGE, JAVA_RUNTIME
#     --image-name NAME   tag the image NAME:VERSION (default chatops)
#
# Exit status: 0 released, 1 a build or a check failed, 2 usage error or refusal (dirty tree,
# OUT_DIR not empty, missing input).
set -euo pipefail

cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.."
# shellcheck source=scripts/jdk.sh
source scripts/jdk.sh

usage() {
  echo "usage: scripts/release.sh [--no-image] [--skip-tests | --skip-build] [--allow-dirty]" \
    "[--build-arg KEY=VALUE]... [--image-name NAME] OUT_DIR" >&2
  exit 2
}

refuse() {
  echo "release: $*" >&2
  exit 2
}

image=true
build=verify
allow_dirty=false
image_name=chatops
build_args=()
out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --no-image) image=false ;;
    --skip-tests) build=package ;;
    --skip-build) build=none ;;
    --allow-dirty) allow_dirty=true ;;
    --build-arg)
      [ $# -ge 2 ] || usage
      [[ "$2" =~ ^[A-Za-z_][A-Za-z0-9_]*=. ]] || refuse "--build-arg takes KEY=VALUE, not '$2'"
      build_args+=(--build-arg "$2")
      shift
      ;;
    --image-name)
      [ $# -ge 2 ] || usage
      [[ "$2" =~ ^[a-z0-9][a-z0-9._/-]*$ ]] || refuse "--image-name: '$2' is not an image name"
      image_name=$2
      shift
      ;;
    -h | --help) usage ;;
    -*) refuse "unknown option $1" ;;
    *)
      [ -z "$out" ] || usage
      out=$1
      ;;
  esac
  shift
done
[ -n "$out" ] || usage

# The project's own version: the <version> right after <artifactId>chatops</artifactId> (the
# project's coordinates come before any dependency's). `mvn help:evaluate` takes seconds.
version=$(sed -n '/<artifactId>chatops<\/artifactId>/{n;s/.*<version>\([^<]*\)<\/version>.*/\1/p;q;}' pom.xml)
[[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+[A-Za-z0-9.+-]*$ ]] ||
  refuse "cannot read the project's version from pom.xml (found '$version')"

# Refusals come before anything is built, so a refused release costs nothing.
if ! git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  [ "$allow_dirty" = true ] || refuse "not a git checkout: cannot tell whether the tree is clean (--allow-dirty to release anyway)"
  commit=unknown
  dirty=unknown
else
  commit=$(git rev-parse --short=12 HEAD)
  changes=$(git status --porcelain --untracked-files=normal)
  if [ -n "$changes" ]; then
    [ "$allow_dirty" = true ] || refuse "the tree has uncommitted changes (commit them, or --allow-dirty):
$changes"
    dirty=yes
  else
    dirty=no
  fi
fi
if [ -e "$out" ] && [ -n "$(ls -A "$out")" ]; then
  refuse "$out is not empty: a release folder holds one release, summed whole"
fi
if [ "$image" = true ]; then
  [ -f Dockerfile ] || refuse "no Dockerfile at the project's root (--no-image for the jar only)"
  command -v docker >/dev/null 2>&1 || refuse "docker is not installed (--no-image for the jar only)"
fi

chatops_select_jdk
jar=target/chatops.jar
sbom=target/chatops.cdx.json
case "$build" in
  # As scripts/test.sh runs it, without installing anything: the test environment must be ready
  # (scripts/test-env.sh), or the tests that need it fail, and so does the release.
  verify) ./mvnw -B verify "-Dchatops.compose.v2.config=$(scripts/compose-plugin.sh dir)" ;;
  package) ./mvnw -B package -DskipTests ;;
  none) ;;
esac
[ -f "$jar" ] || refuse "$jar is missing: build it (./mvnw package) or drop --skip-build"
[ -f "$sbom" ] || refuse "$sbom is missing: the package phase writes it (cyclonedx-maven-plugin; skipped when Maven runs offline)"
# The plugin runs after the shade plugin in package; an offline build skips it, leaving an older
# SBOM beside a newer jar.
[ ! "$jar" -nt "$sbom" ] || refuse "$sbom is older than $jar: build online (./mvnw package) so that the SBOM is made again"
# A jar or SBOM left by a build of another version must not be published under this one.
jar_version=$("$JAVA_HOME/bin/java" -jar "$jar" --version)
[ "$jar_version" = "chatops $version" ] ||
  refuse "$jar says '$jar_version', the pom says $version: rebuild"
grep -q "\"purl\" : \"pkg:maven/dev.chatops/chatops@$version?type=jar\"" "$sbom" ||
  refuse "$sbom does not describe chatops $version: rebuild"

mkdir -p "$out"
artefacts=("chatops-$version.jar" "chatops-$version.cdx.json")
cp "$jar" "$out/chatops-$version.jar"
cp "$sbom" "$out/chatops-$version.cdx.json"
if [ "$image" = true ]; then
  tag="$image_name:$version"
  docker build "${build_args[@]}" --tag "$tag" .
  # gzip -n: no name or time stamp in the header, so the same image gives the same bytes.
  docker save "$tag" | gzip -n >"$out/chatops-$version-image.tar.gz"
  artefacts+=("chatops-$version-image.tar.gz")
fi

(
  cd "$out"
  sha256sum -- "${artefacts[@]}" >SHA256SUMS
  sha256sum --check --strict --quiet SHA256SUMS
)

echo
echo "ChatOps $version (commit $commit, uncommitted changes: $dirty) in $out:"
for artefact in "${artefacts[@]}" SHA256SUMS; do
  printf '  %-40s %12s bytes\n' "$artefact" "$(stat -c %s "$out/$artefact")"
done
[ "$image" = false ] || echo "  image tagged $tag"
echo "check with: (cd $out && sha256sum -c SHA256SUMS)"
