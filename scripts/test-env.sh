#!/usr/bin/env bash
# Prepares the real components the integration tests need, on a Debian machine:
#   - installs docker.io, docker-compose (v1), busybox-static, shellcheck (the launcher's and
#     scripts' lint, run by LauncherIT), debootstrap (the image's local bases), ansible and ansible-lint
#     (the deploy role's tests), prometheus (promtool: the scrape and the alert rules) and chromium
#     with chromium-driver (the dashboard's browser tests) from Debian when missing,
#   - fetches Compose v2 (Debian 13's docker-compose package, the Docker CLI plugin) into a
#     DOCKER_CONFIG folder of its own, without adding Debian 13 to the system's apt sources
#     (scripts/compose-plugin.sh; `scripts/compose-plugin.sh dir` prints the folder),
#   - starts dockerd by hand (no systemd) unless a daemon already answers,
#   - builds the offline example images (scripts/build-example-images.sh).
# Idempotent: a second run reuses the packages, the daemon and the images.
#
# Usage: scripts/test-env.sh [start]   prepare everything (default)
#        scripts/test-env.sh stop      stop the dockerd that this script started
#        scripts/test-env.sh status    tell whether a daemon answers and who started it
#
# Environment: CHATOPS_TEST_ENV_STATE  state folder (default
#                ${XDG_STATE_HOME:-$HOME/.local/state}/chatops-test-env): dockerd.log, dockerd.pid
#              CHATOPS_DOCKERD_WAIT    seconds to wait for the daemon to answer (default 60)
#              CHATOPS_TEST_ENV_CACHE  where the Compose v2 plugin is kept (scripts/compose-plugin.sh)
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
STATE_DIR=${CHATOPS_TEST_ENV_STATE:-${XDG_STATE_HOME:-${HOME:-/root}/.local/state}/chatops-test-env}
PID_FILE="$STATE_DIR/dockerd.pid"
LOG_FILE="$STATE_DIR/dockerd.log"
APT_LOG="$STATE_DIR/apt.log"
DOCKERD_WAIT=${CHATOPS_DOCKERD_WAIT:-60}
PACKAGES=(docker.io docker-compose busybox-static shellcheck debootstrap ansible ansible-lint prometheus chromium chromium-driver)

log() { printf 'test-env: %s\n' "$*"; }
die() {
  printf 'test-env: ERROR: %s\n' "$*" >&2
  exit 1
}
is_root() { [ "$(id -u)" -eq 0 ]; }

docker_answers() {
  command -v docker >/dev/null 2>&1 &&
    timeout 10 docker version --format '{{.Server.Version}}' >/dev/null 2>&1
}

server_version() {
  timeout 10 docker version --format '{{.Server.Version}}' 2>/dev/null || echo '?'
}

# Prints the PID recorded by an earlier start when that process is still a dockerd.
recorded_dockerd_pid() {
  local pid comm
  [ -f "$PID_FILE" ] || return 1
  pid=$(tr -dc '0-9' <"$PID_FILE")
  [ -n "$pid" ] || return 1
  comm=$(cat "/proc/$pid/comm" 2>/dev/null) || return 1
  [ "$comm" = dockerd ] || return 1
  echo "$pid"
}

# Prints the PID of any running dockerd (procps may be absent, so read /proc).
other_dockerd_pid() {
  local dir
  for dir in /proc/[0-9]*; do
    if [ "$(cat "$dir/comm" 2>/dev/null)" = dockerd ]; then
      echo "${dir#/proc/}"
      return 0
    fi
  done
  return 1
}

show_tail() {
  if [ -s "$1" ]; then
    printf 'test-env: last lines of %s:\n' "$1" >&2
    tail -n 20 "$1" | sed 's/^/  | /' >&2
  fi
}
log_tail() { show_tail "$LOG_FILE"; }

static_busybox_present() {
  local bb
  for bb in /bin/busybox /usr/bin/busybox; do
    [ -x "$bb" ] || continue
    # ldd says "not a dynamic executable" (or "statically linked" for static-pie) for static ones.
    # (ldd exits 1 for static binaries, so read its words rather than its status.)
    case "$(ldd "$bb" 2>&1 || true)" in
      *'not a dynamic executable'* | *'statically linked'*) return 0 ;;
    esac
  done
  return 1
}

# Prints the Debian packages still needed, judged by what the tests use rather than by names,
# so a machine with Docker installed some other way is left alone.
missing_packages() {
  local -a missing=()
  if ! command -v docker >/dev/null 2>&1 ||
    { ! docker_answers && ! command -v dockerd >/dev/null 2>&1 && [ ! -x /usr/sbin/dockerd ]; }; then
    missing+=(docker.io)
  fi
  command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose)
  static_busybox_present || missing+=(busybox-static)
  command -v shellcheck >/dev/null 2>&1 || missing+=(shellcheck)
  command -v debootstrap >/dev/null 2>&1 || [ -x /usr/sbin/debootstrap ] || missing+=(debootstrap)
  command -v ansible-playbook >/dev/null 2>&1 || missing+=(ansible)
  command -v ansible-lint >/dev/null 2>&1 || missing+=(ansible-lint)
  command -v promtool >/dev/null 2>&1 || missing+=(prometheus)
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)
  if [ "${#missing[@]}" -gt 0 ]; then
    printf '%s\n' "${missing[@]}"
  fi
}

install_packages() {
  local -a missing
  mapfile -t missing < <(missing_packages)
  if [ "${#missing[@]}" -eq 0 ]; then
    log "packages: docker, docker-compose, a static busybox, shellcheck, debootstrap, ansible, promtool and chromium are present"
    return 0
  fi
  log "packages: missing ${missing[*]}"
  command -v apt-get >/dev/null 2>&1 ||
    die "apt-get not found: install ${missing[*]} (Docker Engine, Compose v1, static busybox) by hand"
  is_root ||
    die "not root, and apt is needed: run as root, or first run: sudo apt-get update && sudo apt-get install -y ${missing[*]}"
  mkdir -p "$STATE_DIR" || die "cannot create state folder $STATE_DIR"
  log "apt-get update (output: $APT_LOG)"
  DEBIAN_FRONTEND=noninteractive apt-get update >"$APT_LOG" 2>&1 || {
    show_tail "$APT_LOG"
    die "apt-get update failed"
  }
  log "apt-get install ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q -o Dpkg::Use-Pty=0 "${missing[@]}" \
    >>"$APT_LOG" 2>&1 || {
    show_tail "$APT_LOG"
    die "apt-get install ${missing[*]} failed"
  }
  mapfile -t missing < <(missing_packages)
  [ "${#missing[@]}" -eq 0 ] ||
    die "still missing after apt-get install: ${missing[*]}"
  log "packages: installed (${PACKAGES[*]} as needed)"
}

# wait_for_daemon PID [ours]: waits until `docker version` answers; fails early when that dockerd
# exits. With "ours", a failure shows the end of the log of the dockerd this script started.
wait_for_daemon() {
  local pid=$1 ours=${2:-} deadline=$((SECONDS + DOCKERD_WAIT)) where=""
  [ -z "$ours" ] || where="; see $LOG_FILE"
  while ! docker_answers; do
    if ! kill -0 "$pid" 2>/dev/null; then
      [ -z "$ours" ] || log_tail
      die "dockerd (pid $pid) exited before answering 'docker version'$where"
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      [ -z "$ours" ] || log_tail
      die "dockerd (pid $pid) did not answer 'docker version' within ${DOCKERD_WAIT}s$where"
    fi
    sleep 0.25
  done
}

start_daemon() {
  local pid dockerd_bin
  if docker_answers; then
    if pid=$(recorded_dockerd_pid); then
      log "docker: reusing the daemon started by an earlier run (pid $pid, server $(server_version))"
    else
      log "docker: reusing the running daemon (server $(server_version))"
    fi
    return 0
  fi
  if [ -n "${DOCKER_HOST:-}" ]; then
    die "DOCKER_HOST=$DOCKER_HOST does not answer 'docker version'; not starting a local daemon"
  fi
  if pid=$(recorded_dockerd_pid); then
    log "docker: daemon from an earlier run (pid $pid) does not answer yet; waiting up to ${DOCKERD_WAIT}s"
    wait_for_daemon "$pid" ours
    log "docker: daemon pid $pid answers (server $(server_version))"
    return 0
  fi
  if pid=$(other_dockerd_pid); then
    is_root || die "dockerd (pid $pid) runs but 'docker version' fails for user $(id -un): no access to its socket? Run as root or join the docker group"
    log "docker: dockerd pid $pid (not started by this script) does not answer yet; waiting up to ${DOCKERD_WAIT}s"
    wait_for_daemon "$pid"
    log "docker: reusing dockerd pid $pid (server $(server_version))"
    return 0
  fi
  is_root || die "the Docker daemon is not running and only root can start it: run as root, or start dockerd yourself"
  dockerd_bin=$(command -v dockerd || true)
  [ -n "$dockerd_bin" ] || dockerd_bin=/usr/sbin/dockerd
  [ -x "$dockerd_bin" ] || die "dockerd not found (expected /usr/sbin/dockerd from docker.io)"
  mkdir -p "$STATE_DIR" || die "cannot create state folder $STATE_DIR"
  rm -f "$PID_FILE"
  log "docker: starting $dockerd_bin (log: $LOG_FILE)"
  # setsid: its own session, so the daemon outlives this script and its caller's process group;
  # 9>&-: the daemon must not inherit (and so hold forever) the lock on fd 9.
  if command -v setsid >/dev/null 2>&1; then
    nohup setsid "$dockerd_bin" </dev/null >"$LOG_FILE" 2>&1 9>&- &
  else
    nohup "$dockerd_bin" </dev/null >"$LOG_FILE" 2>&1 9>&- &
  fi
  pid=$!
  echo "$pid" >"$PID_FILE"
  wait_for_daemon "$pid" ours
  # setsid forks only when it leads a process group; in that case record the real daemon.
  if [ "$(cat "/proc/$pid/comm" 2>/dev/null)" != dockerd ] && [ -r /var/run/docker.pid ]; then
    pid=$(tr -dc '0-9' </var/run/docker.pid)
    echo "$pid" >"$PID_FILE"
  fi
  log "docker: daemon pid $pid answers (server $(server_version)); pid recorded in $PID_FILE"
}

stop_daemon() {
  local pid deadline
  if ! pid=$(recorded_dockerd_pid); then
    if [ -f "$PID_FILE" ]; then
      log "stop: recorded daemon ($(cat "$PID_FILE")) is no longer running; forgetting it"
      rm -f "$PID_FILE"
    else
      log "stop: no daemon started by this script is recorded in $PID_FILE; nothing to stop"
    fi
    return 0
  fi
  log "stop: sending SIGTERM to dockerd pid $pid"
  kill -TERM "$pid" || die "cannot signal dockerd pid $pid"
  # dockerd gives running containers up to 15 s to stop before it exits itself.
  deadline=$((SECONDS + 40))
  while kill -0 "$pid" 2>/dev/null; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      log_tail
      die "dockerd pid $pid still running 40s after SIGTERM; kill it with: kill -KILL $pid"
    fi
    sleep 0.25
  done
  rm -f "$PID_FILE"
  log "stop: dockerd pid $pid stopped"
}

status() {
  local pid
  if docker_answers; then
    log "status: daemon answers (server $(server_version))"
  else
    log "status: no Docker daemon answers"
  fi
  if pid=$(recorded_dockerd_pid); then
    log "status: started by this script, pid $pid (log: $LOG_FILE)"
  else
    log "status: no daemon started by this script is running"
  fi
}

main() {
  case "${1:-start}" in
    start)
      # One preparation at a time (parallel test runs must not start two daemons).
      mkdir -p "$STATE_DIR" || die "cannot create state folder $STATE_DIR"
      if command -v flock >/dev/null 2>&1; then
        exec 9>"$STATE_DIR/lock"
        flock -w 600 9 || die "another scripts/test-env.sh held $STATE_DIR/lock for 600s"
      fi
      install_packages
      "$SCRIPT_DIR/compose-plugin.sh" install || die "providing the Compose v2 plugin failed"
      start_daemon
      log "images: scripts/build-example-images.sh"
      "$SCRIPT_DIR/build-example-images.sh" || die "building the example images failed"
      "$SCRIPT_DIR/image-bases.sh" >/dev/null || die "making the image's local bases (scripts/image-bases.sh) failed"
      log "ready"
      ;;
    stop) stop_daemon ;;
    status) status ;;
    -h | --help | help) sed -n '2,19p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' ;;
    *) die "unknown command '$1' (use: start, stop or status)" ;;
  esac
}

main "$@"
