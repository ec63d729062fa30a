#!/usr/bin/env bash
# Makes, offline, the three base images the Dockerfile's build arguments name, for machines where
# no image registry is reachable (the tests, CI):
#   local/chatops-runtime:bookworm  `debootstrap --variant=minbase bookworm` from the mirror apt
#                                   uses, with what the runtime stage needs already installed
#                                   (tini, curl, ca-certificates, openssh-client), so building the
#                                   image needs no network; imported with `docker import`
#   local/chatops-build:jdk         that root filesystem plus this machine's JDK >= 21
#                                   (chatops_select_jdk), JAVA_HOME set: the BUILD_IMAGE
#   local/chatops-docker-cli:1      this machine's docker client and the Compose v2 plugin of
#                                   scripts/compose-plugin.sh, where the official docker:cli keeps them
# Every image carries the label org.chatops.base.content, a hash of what made it; an image whose
# label matches is kept. The debootstrap result is cached as a tar (CACHE/image-bases/), so a
# second run, or a run after `docker image prune`, takes seconds.
#
# Usage: scripts/image-bases.sh            make what is missing, then print the --build-arg flags
#        scripts/image-bases.sh build-args  print the --build-arg flags only (bases must exist)
#
# Environment: CHATOPS_TEST_ENV_CACHE  cache folder (default ${XDG_CACHE_HOME:-$HOME/.cache}/chatops-test-env)
#              CHATOPS_DEBIAN_MIRROR   Debian mirror URL (default: the one apt uses for this release)
#              DOCKER_CLI              the docker client to copy (default: `command -v docker`)
#              FORCE=1                 remake the rootfs and the images
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CACHE_DIR=${CHATOPS_TEST_ENV_CACHE:-${XDG_CACHE_HOME:-${HOME:-/root}/.cache}/chatops-test-env}/image-bases
SUITE=bookworm
# What the runtime stage needs (see the Dockerfile): PID 1, the health probe, TLS roots, ssh:// engines.
PACKAGES=tini,curl,ca-certificates,openssh-client
RUNTIME_TAG=local/chatops-runtime:bookworm
BUILD_TAG=local/chatops-build:jdk
CLI_TAG=local/chatops-docker-cli:1
LABEL=org.chatops.base.content

log() { printf 'image-bases: %s\n' "$*" >&2; }
die() {
  printf 'image-bases: ERROR: %s\n' "$*" >&2
  exit 1
}

build_args() {
  printf -- '--build-arg RUNTIME_IMAGE=%s --build-arg BUILD_IMAGE=%s --build-arg DOCKER_CLI_IMAGE=%s\n' \
    "$RUNTIME_TAG" "$BUILD_TAG" "$CLI_TAG"
}

image_is_current() {
  local have
  have=$(docker image inspect --format "{{ index .Config.Labels \"$LABEL\" }}" "$1" 2>/dev/null) || return 1
  [ "$have" = "$2" ] && [ "${FORCE:-}" != 1 ]
}

# The mirror apt itself uses for this machine's release (deb822 and one-line sources alike).
mirror() {
  local uri
  if [ -n "${CHATOPS_DEBIAN_MIRROR:-}" ]; then
    echo "$CHATOPS_DEBIAN_MIRROR"
    return
  fi
  # shellcheck disable=SC2016 # $(...) is apt's own placeholder syntax
  uri=$(apt-get indextargets --format '$(REPO_URI) $(RELEASE)' 2>/dev/null |
    awk -v s="$SUITE" '$2 == s && $1 !~ /security/ { print $1; exit }')
  [ -n "$uri" ] || uri=http://deb.debian.org/debian/
  echo "${uri%/}"
}

# Prints the path of the cached root filesystem tar, making it with debootstrap when missing.
rootfs_tar() {
  local tar="$CACHE_DIR/rootfs-$SUITE-minbase.tar" work url started=$SECONDS
  if [ -s "$tar" ] && [ "${FORCE:-}" != 1 ]; then
    echo "$tar"
    return
  fi
  [ "$(id -u)" -eq 0 ] || die "debootstrap needs root (run as root, or copy $tar from a machine that made it)"
  command -v debootstrap >/dev/null 2>&1 || [ -x /usr/sbin/debootstrap ] ||
    die "debootstrap not found (scripts/test-env.sh installs it)"
  url=$(mirror)
  mkdir -p "$CACHE_DIR"
  work=$(mktemp -d "$CACHE_DIR/rootfs.XXXXXX")
  log "debootstrap --variant=minbase --include=$PACKAGES $SUITE from $url (log: $CACHE_DIR/debootstrap.log)"
  if ! PATH="$PATH:/usr/sbin:/sbin" debootstrap --variant=minbase --include="$PACKAGES" \
    "$SUITE" "$work/root" "$url" >"$CACHE_DIR/debootstrap.log" 2>&1; then
    tail -n 20 "$CACHE_DIR/debootstrap.log" | sed 's/^/  | /' >&2
    rm -rf "$work"
    die "debootstrap failed"
  fi
  # An image needs neither the package cache nor apt's lists (the Dockerfile runs apt-get update
  # itself when it must install something).
  rm -rf "$work/root/var/cache/apt/archives/"*.deb "$work/root/var/lib/apt/lists/"* "$work/root/dev/"*
  tar -C "$work/root" --numeric-owner -cf "$work/rootfs.tar" .
  mv "$work/rootfs.tar" "$tar"
  rm -rf "$work"
  log "root filesystem cached in $tar ($((SECONDS - started)) s)"
  echo "$tar"
}

hash_of() { sha256sum "$@" | cut -d' ' -f1 | sha256sum | cut -c1-32; }

runtime_base() {
  local tar=$1 hash
  hash=$(hash_of "$tar" "${BASH_SOURCE[0]}")
  image_is_current "$RUNTIME_TAG" "$hash" && return 0
  log "$RUNTIME_TAG: docker import"
  docker import -c "LABEL $LABEL=$hash" -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    -c 'CMD ["/bin/bash"]' "$tar" "$RUNTIME_TAG" >/dev/null
}

build_base() {
  local tar=$1 jdk hash
  # shellcheck source=scripts/jdk.sh
  source "$SCRIPT_DIR/jdk.sh"
  chatops_select_jdk >/dev/null
  jdk=$(readlink -f "$JAVA_HOME")
  [ -x "$jdk/bin/jlink" ] || die "$jdk has no jlink: the build stage needs a full JDK"
  hash=$( (
    sha256sum "$tar" "${BASH_SOURCE[0]}" | cut -d' ' -f1
    echo "$jdk"
    cat "$jdk/release"
  ) | sha256sum | cut -c1-32)
  image_is_current "$BUILD_TAG" "$hash" && return 0
  log "$BUILD_TAG: the root filesystem and $jdk, docker import"
  # One tar: a copy of the cached rootfs with the JDK appended at the same path as on this machine.
  (
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    cp "$tar" "$tmp/all.tar"
    # -h: a packaged JDK links lib/security/cacerts to /etc/ssl/certs/java/, absent from the rootfs.
    tar -C / -h --numeric-owner -rf "$tmp/all.tar" "${jdk#/}"
    docker import -c "LABEL $LABEL=$hash" -c "ENV JAVA_HOME=$jdk" \
      -c "ENV PATH=$jdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
      -c 'CMD ["/bin/bash"]' "$tmp/all.tar" "$BUILD_TAG" >/dev/null
  )
}

cli_base() {
  local docker_bin plugin_dir plugin hash tmp
  docker_bin=$(readlink -f "${DOCKER_CLI:-$(command -v docker)}")
  plugin_dir=$("$SCRIPT_DIR/compose-plugin.sh" dir)
  plugin="$plugin_dir/cli-plugins/docker-compose"
  [ -x "$plugin" ] || "$SCRIPT_DIR/compose-plugin.sh" install >&2 || die "no Compose v2 plugin"
  hash=$(hash_of "$docker_bin" "$plugin" "${BASH_SOURCE[0]}")
  image_is_current "$CLI_TAG" "$hash" && return 0
  log "$CLI_TAG: $docker_bin ($("$docker_bin" --version)) and the Compose plugin"
  tmp=$(mktemp -d)
  mkdir -p "$tmp/usr/local/bin" "$tmp/usr/local/libexec/docker/cli-plugins"
  cp "$docker_bin" "$tmp/usr/local/bin/docker"
  cp "$plugin" "$tmp/usr/local/libexec/docker/cli-plugins/docker-compose"
  tar -C "$tmp" --numeric-owner --owner=0 --group=0 -c . |
    docker import -c "LABEL $LABEL=$hash" -c 'CMD ["/usr/local/bin/docker"]' - "$CLI_TAG" >/dev/null
  rm -rf "$tmp"
}

main() {
  command -v docker >/dev/null 2>&1 || die "docker not found (run scripts/test-env.sh)"
  timeout 10 docker version >/dev/null 2>&1 || die "the Docker daemon does not answer (run scripts/test-env.sh)"
  case "${1:-make}" in
    make)
      local tar started=$SECONDS
      mkdir -p "$CACHE_DIR"
      exec 8>"$CACHE_DIR/lock"
      flock -w 900 8 || die "another image-bases.sh held $CACHE_DIR/lock for 900 s"
      tar=$(rootfs_tar)
      runtime_base "$tar"
      build_base "$tar"
      cli_base
      log "bases ready ($((SECONDS - started)) s)"
      build_args
      ;;
    build-args) build_args ;;
    *) die "unknown command '$1' (use: make or build-args)" ;;
  esac
}

main "$@"
