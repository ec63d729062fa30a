#!/usr/bin/env bash
# Builds, offline, the images the example stacks (examples/stacks/) run:
#   local/busybox:1            rootfs holding Debian's static busybox, imported with `docker import`
#   chatops-example/app:1      busybox httpd on :8080 serving "version 1", healthy within ~2 s
#   chatops-example/app:2      the same serving "version 2"
#   chatops-example/app:broken serves, but its HEALTHCHECK always fails (turns unhealthy in ~6 s)
# Every image carries the label org.chatops.example.content, a hash of this script, of
# examples/images/app/ and of the busybox binary; an image whose label matches is not rebuilt.
#
# Environment: BUSYBOX  static busybox binary to use (default /bin/busybox, from busybox-static)
#              FORCE=1  rebuild even when the labels match
set -euo pipefail

SCRIPT_PATH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")
REPO_ROOT=$(cd "$(dirname "$SCRIPT_PATH")/.." && pwd)
APP_DIR="$REPO_ROOT/examples/images/app"
BUSYBOX=${BUSYBOX:-/bin/busybox}
BASE_TAG=local/busybox:1
APP_REPO=chatops-example/app
LABEL=org.chatops.example.content
APP_UID=10001
# The legacy builder works offline against any daemon and needs no buildx plugin.
export DOCKER_BUILDKIT=${DOCKER_BUILDKIT:-0}

log() { printf 'build-images: %s\n' "$*"; }
die() {
  printf 'build-images: ERROR: %s\n' "$*" >&2
  exit 1
}

WORK_DIR=""
cleanup() { if [ -n "$WORK_DIR" ]; then rm -rf "$WORK_DIR"; fi; }
trap cleanup EXIT

check_prerequisites() {
  command -v docker >/dev/null 2>&1 || die "docker not found (run scripts/test-env.sh)"
  timeout 10 docker version --format '{{.Server.Version}}' >/dev/null 2>&1 ||
    die "the Docker daemon does not answer 'docker version' (run scripts/test-env.sh)"
  [ -f "$APP_DIR/Dockerfile" ] || die "missing $APP_DIR/Dockerfile"
  [ -x "$BUSYBOX" ] || die "no busybox at $BUSYBOX (install busybox-static, or set BUSYBOX)"
  # ldd exits 1 for a static binary, so read its words rather than its status.
  case "$(ldd "$BUSYBOX" 2>&1 || true)" in
    *'not a dynamic executable'* | *'statically linked'*) ;;
    *) die "$BUSYBOX is dynamically linked and cannot run alone in an image: install busybox-static" ;;
  esac
}

# One hash over everything that shapes the images.
content_hash() {
  {
    sha256sum "$SCRIPT_PATH" "$BUSYBOX" | cut -d' ' -f1
    (cd "$APP_DIR" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum)
  } | sha256sum | cut -c1-32
}

# Prints the ID of the image behind a tag, or nothing.
image_id() { docker image inspect --format '{{.Id}}' "$1" 2>/dev/null || true; }

image_is_current() {
  local have
  have=$(docker image inspect --format "{{ index .Config.Labels \"$LABEL\" }}" "$1" 2>/dev/null) || return 1
  [ "$have" = "$HASH" ]
}

# Runs a command quietly; on failure shows its output and stops.
run_quiet() {
  local what=$1 out
  shift
  out="$WORK_DIR/last-command.log"
  if ! "$@" >"$out" 2>&1; then
    sed 's/^/  | /' "$out" >&2
    die "$what failed"
  fi
}

build_base() {
  local rootfs="$WORK_DIR/rootfs" applet count=0 started=$SECONDS
  log "$BASE_TAG: building rootfs from $BUSYBOX ($("$BUSYBOX" 2>&1 | head -n 1 | cut -d' ' -f1-2))"
  mkdir -p "$rootfs"/{bin,etc,root,tmp,dev,proc,sys,www}
  cp "$BUSYBOX" "$rootfs/bin/busybox"
  chmod 0755 "$rootfs/bin/busybox"
  for applet in $("$BUSYBOX" --list); do
    case "$applet" in busybox | */*) continue ;; esac
    ln -s busybox "$rootfs/bin/$applet"
    count=$((count + 1))
  done
  [ "$count" -gt 100 ] || die "$BUSYBOX --list gave only $count applets"
  cat >"$rootfs/etc/passwd" <<EOF
root:x:0:0:root:/root:/bin/sh
app:x:$APP_UID:$APP_UID:chatops example app:/tmp:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
EOF
  cat >"$rootfs/etc/group" <<EOF
root:x:0:
app:x:$APP_UID:
nogroup:x:65534:
EOF
  chmod 0644 "$rootfs/etc/passwd" "$rootfs/etc/group"
  chmod 0700 "$rootfs/root"
  chmod 1777 "$rootfs/tmp"
  chmod 0755 "$rootfs" "$rootfs"/{bin,etc,dev,proc,sys,www}
  log "$BASE_TAG: importing ($count applet links in /bin)"
  # --numeric-owner/--owner: everything root-owned, whoever runs this script.
  tar --numeric-owner --owner=0 --group=0 -C "$rootfs" -c . >"$WORK_DIR/rootfs.tar" ||
    die "tar of the rootfs failed"
  run_quiet "docker import of $BASE_TAG" docker import \
    -c 'CMD ["/bin/sh"]' -c 'ENV PATH=/bin' -c "LABEL $LABEL=$HASH" \
    "$WORK_DIR/rootfs.tar" "$BASE_TAG"
  run_quiet "smoke test of $BASE_TAG" docker run --rm --network none "$BASE_TAG" \
    sh -c 'test -x /bin/httpd && test -x /bin/wget && test -k /tmp'
  log "$BASE_TAG: built in $((SECONDS - started))s"
}

# build_app TAG TARGET VERSION
build_app() {
  local tag=$1 target=$2 version=$3 started=$SECONDS
  log "$tag: building (target $target, APP_VERSION=$version)"
  run_quiet "docker build of $tag" docker build --network none --pull=false \
    --target "$target" --build-arg "APP_VERSION=$version" \
    --label "$LABEL=$HASH" -t "$tag" "$APP_DIR"
  log "$tag: built in $((SECONDS - started))s"
}

main() {
  local started=$SECONDS tag target version old spec built=0
  local -a specs=("$APP_REPO:1 app 1" "$APP_REPO:2 app 2" "$APP_REPO:broken broken broken")
  local -a replaced=()
  check_prerequisites
  # One build at a time on this machine (parallel test runs may all call this script).
  if command -v flock >/dev/null 2>&1; then
    exec 9>"${TMPDIR:-/tmp}/chatops-example-images.$(id -u).lock"
    flock -w 300 9 || die "another build of the example images held the lock for 300s"
  fi
  HASH=$(content_hash)
  WORK_DIR=$(mktemp -d "${TMPDIR:-/tmp}/chatops-images.XXXXXX")

  if [ "${FORCE:-0}" != 1 ] && image_is_current "$BASE_TAG"; then
    log "$BASE_TAG: up to date ($LABEL=$HASH)"
  else
    old=$(image_id "$BASE_TAG")
    build_base
    built=$((built + 1))
    [ -z "$old" ] || [ "$old" = "$(image_id "$BASE_TAG")" ] || replaced+=("$old")
  fi
  for spec in "${specs[@]}"; do
    read -r tag target version <<<"$spec"
    if [ "${FORCE:-0}" != 1 ] && image_is_current "$tag"; then
      log "$tag: up to date"
      continue
    fi
    old=$(image_id "$tag")
    build_app "$tag" "$target" "$version"
    built=$((built + 1))
    [ -z "$old" ] || [ "$old" = "$(image_id "$tag")" ] || replaced+=("$old")
  done
  # Drop images this script replaced, newest first (apps before their base). An image that is
  # still tagged elsewhere or used by a container stays: `docker image rm` refuses without -f.
  local i
  for ((i = ${#replaced[@]} - 1; i >= 0; i--)); do
    docker image rm "${replaced[$i]}" >/dev/null 2>&1 || true
  done
  log "done: $built image(s) built, $((4 - built)) reused, in $((SECONDS - started))s"
}

main "$@"
