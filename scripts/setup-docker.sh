#!/usr/bin/env bash
# Makes a Docker engine available for the integration tests (./integration).
#
# Idempotent: when `docker info` already answers (a running engine, or the
# one DOCKER_HOST names), it does nothing. Otherwise it installs Debian's
# docker.io if dockerd is missing, starts dockerd in the background with
# settings that work on plain CI machines and inside containers (vfs
# storage, no iptables, no default bridge: the tests use host networking),
# and waits until the engine answers.
#
# Environment:
#   DOCKERD_LOG            dockerd's log file (default /tmp/redkit-dockerd.log)
#   DOCKER_WAIT_SECONDS    how long to wait for the engine (default 60)
#
# Usage: scripts/setup-docker.sh
set -euo pipefail

log() { printf 'setup-docker: %s\n' "$*"; }
die() { printf 'setup-docker: error: %s\n' "$*" >&2; exit 1; }

DOCKERD_LOG="${DOCKERD_LOG:-/tmp/redkit-dockerd.log}"
DOCKER_WAIT_SECONDS="${DOCKER_WAIT_SECONDS:-60}"

# Run privileged commands directly as root, else through sudo.
SUDO=()
if [ "$(id -u)" -ne 0 ]; then
	command -v sudo >/dev/null 2>&1 || die "not root and sudo is missing: run this script as root"
	SUDO=(sudo)
fi

engine_answers() {
	command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1
}

if engine_answers; then
	log "Docker engine is up ($(docker version --format 'server {{.Server.Version}}' 2>/dev/null || echo 'version unknown')); nothing to do."
	exit 0
fi

# An engine named by DOCKER_HOST is somebody else's to start.
if [ -n "${DOCKER_HOST:-}" ] && [ "${DOCKER_HOST}" != "unix:///var/run/docker.sock" ]; then
	die "DOCKER_HOST=${DOCKER_HOST} does not answer 'docker info'; start that engine, or unset DOCKER_HOST to use a local one"
fi

if ! command -v dockerd >/dev/null 2>&1 || ! command -v docker >/dev/null 2>&1; then
	log "installing docker.io (apt-get)..."
	export DEBIAN_FRONTEND=noninteractive
	"${SUDO[@]}" apt-get update
	"${SUDO[@]}" apt-get install -y --no-install-recommends docker.io
	command -v dockerd >/dev/null 2>&1 || die "docker.io is installed but dockerd is not on PATH"
fi

# The package may have started an engine (systemd machines): check again.
if engine_answers; then
	log "Docker engine is up after installation; nothing more to do."
	exit 0
fi

if pgrep -x dockerd >/dev/null 2>&1; then
	log "dockerd is running but does not answer yet; waiting for it (log: see its service manager)."
else
	log "starting dockerd in the background (log: ${DOCKERD_LOG})..."
	# setsid+nohup detach it from this shell so it outlives the script.
	"${SUDO[@]}" setsid nohup dockerd --storage-driver=vfs --iptables=false --bridge=none \
		>"${DOCKERD_LOG}" 2>&1 </dev/null &
fi

for ((i = 0; i < DOCKER_WAIT_SECONDS; i++)); do
	if engine_answers; then
		log "Docker engine is up after ${i}s ($(docker version --format 'server {{.Server.Version}}' 2>/dev/null || echo 'version unknown'))."
		exit 0
	fi
	sleep 1
done

if [ -f "${DOCKERD_LOG}" ]; then
	printf 'setup-docker: last lines of %s:\n' "${DOCKERD_LOG}" >&2
	tail -n 30 "${DOCKERD_LOG}" >&2 || true
fi
die "the Docker engine did not answer 'docker info' within ${DOCKER_WAIT_SECONDS}s"
