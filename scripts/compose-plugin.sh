#!/usr/bin/env bash
# Provides Compose v2 (the Docker CLI plugin) for the tests, without touching the system's apt
# sources or installed packages: fetches Debian 13's docker-compose package with apt through a
# source list private to this script, and extracts the plugin with dpkg-deb into a DOCKER_CONFIG
# folder of its own. The Docker CLI finds the plugin there when DOCKER_CONFIG names that folder.
# Idempotent: a plugin already extracted and answering is reused.
#
# Usage: scripts/compose-plugin.sh [install]  fetch and extract unless present (default)
#        scripts/compose-plugin.sh dir        print the DOCKER_CONFIG folder
#
# Environment: CHATOPS_TEST_ENV_CACHE  cache folder (default
#                ${XDG_CACHE_HOME:-$HOME/.cache}/chatops-test-env); the plugin lands in
#                CACHE/compose-v2/cli-plugins/docker-compose, apt's private state in CACHE/apt
#              CHATOPS_DEBIAN_MIRROR   the Debian mirror URL (default: the one the machine's own
#                apt sources use for its release)
#
# Why it is safe without [trusted=yes]: apt checks the suite's InRelease against Debian's archive
# keyring and the .deb against the SHA256 in the signed Packages index, as for any install.
# Debian 13's InRelease is signed with the Debian 12 archive key as well as Debian 13's, so
# Debian 12's keyring verifies it even in versions older than 2023.3+deb12u1 (which added the
# Debian 13 keys).
set -euo pipefail

CACHE_DIR=${CHATOPS_TEST_ENV_CACHE:-${XDG_CACHE_HOME:-${HOME:-/root}/.cache}/chatops-test-env}
CONFIG_DIR="$CACHE_DIR/compose-v2"
PLUGIN="$CONFIG_DIR/cli-plugins/docker-compose"
APT_DIR="$CACHE_DIR/apt"
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
SUITE=trixie
PACKAGE=docker-compose
# Where the package puts the plugin (the Docker CLI's system plugin folder).
PLUGIN_IN_PACKAGE=usr/libexec/docker/cli-plugins/docker-compose

log() { printf 'compose-plugin: %s\n' "$*"; }
die() {
  printf 'compose-plugin: ERROR: %s\n' "$*" >&2
  exit 1
}

# The plugin answers when run directly (it then acts as the standalone program) and reports v2.
plugin_answers() {
  [ -x "$PLUGIN" ] && "$PLUGIN" version --short 2>/dev/null | grep -q '^v\{0,1\}2\.'
}

# Prints the URIs of the machine's own Debian sources that serve suite $1, one-line (.list) and
# deb822 (.sources) formats alike.
mirrors_for_suite() {
  local suite=$1 file
  for file in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$file" ] || continue
    # deb [options] URI SUITE COMPONENTS...
    sed -e 's/#.*//' -e 's/\[[^]]*\]//' "$file" |
      awk -v suite="$suite" '$1 == "deb" && $3 == suite { print $2 }'
  done
  for file in /etc/apt/sources.list.d/*.sources; do
    [ -f "$file" ] || continue
    awk -v suite="$suite" '
      function flush() {
        if (types ~ /(^| )deb( |$)/ && (" " suites " ") ~ (" " suite " ") && enabled != "no") {
          n = split(uris, list, " ")
          for (i = 1; i <= n; i++) print list[i]
        }
        types = ""; uris = ""; suites = ""; enabled = ""
      }
      /^[ \t]*#/ { next }
      /^[ \t]*$/ { flush(); next }
      {
        key = tolower($1); sub(/:$/, "", key); $1 = ""; sub(/^[ \t]+/, "")
        if (key == "types") types = $0
        else if (key == "uris") uris = $0
        else if (key == "suites") suites = $0
        else if (key == "enabled") enabled = tolower($0)
      }
      END { flush() }
    ' "$file"
  done
}

# The mirror: CHATOPS_DEBIAN_MIRROR, else the first source of the machine's own Debian release.
mirror() {
  local codename uri
  if [ -n "${CHATOPS_DEBIAN_MIRROR:-}" ]; then
    echo "$CHATOPS_DEBIAN_MIRROR"
    return 0
  fi
  # shellcheck source=/dev/null
  codename=$(. /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-}")
  [ -n "$codename" ] || die "cannot tell this machine's Debian release from /etc/os-release; set CHATOPS_DEBIAN_MIRROR"
  uri=$(mirrors_for_suite "$codename" | head -n 1)
  [ -n "$uri" ] ||
    die "no apt source for suite $codename in /etc/apt/sources.list*; set CHATOPS_DEBIAN_MIRROR to a Debian mirror URL"
  echo "${uri%/}"
}

install_plugin() {
  local url work deb
  if plugin_answers; then
    log "Compose $("$PLUGIN" version --short) plugin present in $CONFIG_DIR"
    return 0
  fi
  for tool in apt-get dpkg-deb; do
    command -v "$tool" >/dev/null 2>&1 || die "$tool not found: Compose v2 is fetched as a Debian package"
  done
  [ -r "$KEYRING" ] || die "$KEYRING not found: install debian-archive-keyring"
  url=$(mirror)
  log "fetching $PACKAGE from $url $SUITE (apt state private to this script: $APT_DIR)"
  rm -rf "$APT_DIR"
  mkdir -p "$APT_DIR/lists/partial" "$APT_DIR/cache/archives/partial" "$APT_DIR/download" ||
    die "cannot create $APT_DIR"
  printf 'deb [signed-by=%s] %s %s main\n' "$KEYRING" "$url" "$SUITE" >"$APT_DIR/sources.list"
  local -a apt=(
    apt-get -q
    -o "Dir::Etc::sourcelist=$APT_DIR/sources.list"
    -o Dir::Etc::sourceparts=-
    -o "Dir::State::Lists=$APT_DIR/lists"
    -o "Dir::Cache=$APT_DIR/cache"
  )
  "${apt[@]}" update >"$APT_DIR/apt.log" 2>&1 || {
    tail -n 20 "$APT_DIR/apt.log" | sed 's/^/  | /' >&2
    die "apt-get update of the private $SUITE source failed (log: $APT_DIR/apt.log)"
  }
  # apt-get download verifies the file against the signed index and refuses unauthenticated ones.
  (cd "$APT_DIR/download" && "${apt[@]}" download "$PACKAGE/$SUITE") >>"$APT_DIR/apt.log" 2>&1 || {
    tail -n 20 "$APT_DIR/apt.log" | sed 's/^/  | /' >&2
    die "apt-get download $PACKAGE/$SUITE failed (log: $APT_DIR/apt.log)"
  }
  deb=$(find "$APT_DIR/download" -maxdepth 1 -name "${PACKAGE}_*.deb" | head -n 1)
  [ -n "$deb" ] || die "apt-get download left no ${PACKAGE}_*.deb in $APT_DIR/download"
  work="$APT_DIR/extract"
  dpkg-deb -x "$deb" "$work" || die "dpkg-deb -x $deb failed"
  [ -x "$work/$PLUGIN_IN_PACKAGE" ] || die "$(basename "$deb") has no $PLUGIN_IN_PACKAGE"
  mkdir -p "$CONFIG_DIR/cli-plugins" || die "cannot create $CONFIG_DIR/cli-plugins"
  # Move into place whole, so that a run cut short never leaves half a plugin behind.
  if ! cp "$work/$PLUGIN_IN_PACKAGE" "$PLUGIN.partial" || ! mv -f "$PLUGIN.partial" "$PLUGIN"; then
    die "cannot write $PLUGIN"
  fi
  plugin_answers || die "the extracted $PLUGIN does not answer 'version' with a 2.x version"
  log "Compose $("$PLUGIN" version --short) plugin extracted from $(basename "$deb") into $CONFIG_DIR"
  # The package lists and the .deb are no longer needed (about 35 MB).
  rm -rf "$APT_DIR"
}

case "${1:-install}" in
  install) install_plugin ;;
  dir) echo "$CONFIG_DIR" ;;
  -h | --help | help) sed -n '2,20p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' ;;
  *) die "unknown command '$1' (use: install or dir)" ;;
esac
