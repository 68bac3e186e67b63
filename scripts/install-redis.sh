#!/usr/bin/env bash
# Installs Debian's redis-server, redis-sentinel and redis-tools when they
# are missing (the demo, the benchmarks, the image build, and the tests of
# redistest and redisotel, which run local servers, use them).
set -euo pipefail

if command -v redis-server >/dev/null && command -v redis-cli >/dev/null && command -v redis-sentinel >/dev/null; then
	exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
	command -v sudo >/dev/null || { echo "install-redis: run as root or install sudo" >&2; exit 1; }
	SUDO=sudo
fi
echo "install-redis: installing redis-server, redis-sentinel and redis-tools"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq redis-server redis-sentinel redis-tools >/dev/null
