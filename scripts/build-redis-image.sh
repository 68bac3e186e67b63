#!/usr/bin/env bash
# Provides the Redis image the integration tests (./integration) run.
#
# The image is named by REDIS_IMAGE (default redkit/redis:7.0-local, the
# same default the tests use). Idempotent: when `docker image inspect`
# finds the image, it does nothing.
#
# For the default name, no registry is needed: the script installs Debian's
# redis-server, redis-sentinel and redis-tools when they are missing and
# imports an image holding only Debian's Redis binaries, the shared
# libraries `ldd` lists for them, the dynamic loader, /etc/passwd and
# /etc/group (with nobody), /tmp and /data. On Debian, redis-server and
# redis-sentinel are symlinks to redis-check-rdb (the one binary picks its
# role from argv[0]); the image keeps that layout.
#
# For any other REDIS_IMAGE (an official redis image where a registry is
# reachable), it only checks that the image exists, or pulls it.
#
# Needs a running Docker engine (scripts/setup-docker.sh).
# Usage: [REDIS_IMAGE=name:tag] scripts/build-redis-image.sh
set -euo pipefail

log() { printf 'build-redis-image: %s\n' "$*"; }
die() { printf 'build-redis-image: error: %s\n' "$*" >&2; exit 1; }

LOCAL_IMAGE="redkit/redis:7.0-local"
REDIS_IMAGE="${REDIS_IMAGE:-$LOCAL_IMAGE}"

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
	command -v sudo >/dev/null 2>&1 || die "not root and sudo is missing: run this script as root"
	SUDO=(sudo)
fi

command -v docker >/dev/null 2>&1 || die "docker is not installed: run scripts/setup-docker.sh first"
docker info >/dev/null 2>&1 || die "no Docker engine answers: run scripts/setup-docker.sh first"

if docker image inspect "$REDIS_IMAGE" >/dev/null 2>&1; then
	log "image $REDIS_IMAGE is present; nothing to do."
	exit 0
fi

if [ "$REDIS_IMAGE" != "$LOCAL_IMAGE" ]; then
	log "image $REDIS_IMAGE is missing; pulling it..."
	docker pull "$REDIS_IMAGE" || die "cannot pull $REDIS_IMAGE (no registry reachable?); unset REDIS_IMAGE to build $LOCAL_IMAGE locally"
	log "pulled $REDIS_IMAGE."
	exit 0
fi

# --- Build the local image from Debian's packages. ---

packages=(redis-server redis-sentinel redis-tools)
missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
	log "installing ${missing[*]} (apt-get)..."
	export DEBIAN_FRONTEND=noninteractive
	# Keep the packages' services from starting a Redis on port 6379: only
	# the binaries are wanted. policy-rc.d is added only when absent.
	policy=/usr/sbin/policy-rc.d
	added_policy=0
	if [ ! -e "$policy" ]; then
		printf '#!/bin/sh\nexit 101\n' | "${SUDO[@]}" tee "$policy" >/dev/null
		"${SUDO[@]}" chmod 755 "$policy"
		added_policy=1
	fi
	cleanup_policy() { if [ "$added_policy" = 1 ]; then "${SUDO[@]}" rm -f "$policy"; fi; }
	trap cleanup_policy EXIT
	"${SUDO[@]}" apt-get update
	"${SUDO[@]}" apt-get install -y --no-install-recommends "${missing[@]}"
	cleanup_policy
	added_policy=0
fi

server_bin="$(readlink -f /usr/bin/redis-server)"
[ -x "$server_bin" ] || die "/usr/bin/redis-server is missing after installation"
version="$(/usr/bin/redis-server --version | sed -n 's/.* v=\([0-9.]*\).*/\1/p')"
log "building $REDIS_IMAGE from Debian's Redis $version ($server_bin)..."

rootfs="$(mktemp -d /tmp/redkit-redis-rootfs.XXXXXX)"
trap 'rm -rf "$rootfs"' EXIT
mkdir -p "$rootfs/usr/bin" "$rootfs/etc" "$rootfs/data" "$rootfs/tmp"
chmod 1777 "$rootfs/tmp"

# Binaries: the real file and the symlinks that pick the role.
binaries=()
for b in /usr/bin/redis-server /usr/bin/redis-sentinel /usr/bin/redis-cli \
	/usr/bin/redis-check-rdb /usr/bin/redis-check-aof; do
	[ -e "$b" ] || continue
	if [ -L "$b" ]; then
		target="$(readlink "$b")"
		case "$target" in
		*/*) cp -L "$b" "$rootfs$b" ;; # a symlink elsewhere: copy the file
		*) ln -s "$target" "$rootfs$b" ;;
		esac
	else
		cp "$b" "$rootfs$b"
	fi
	binaries+=("$(readlink -f "$b")")
done

# Shared libraries and the dynamic loader, at the paths ldd reports.
libs="$(for b in "${binaries[@]}"; do ldd "$b"; done |
	awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' | sort -u)"
[ -n "$libs" ] || die "ldd listed no libraries for ${binaries[*]}"
for lib in $libs; do
	mkdir -p "$rootfs$(dirname "$lib")"
	cp -L "$lib" "$rootfs$lib"
done

cat >"$rootfs/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/usr/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
EOF
cat >"$rootfs/etc/group" <<'EOF'
root:x:0:
nogroup:x:65534:
EOF
chown 65534:65534 "$rootfs/data" 2>/dev/null || true

# Smoke test inside the rootfs before importing (catches a missing library).
if command -v chroot >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ]; then
	chroot "$rootfs" /usr/bin/redis-server --version >/dev/null ||
		die "redis-server does not run inside the assembled rootfs"
fi

tar -C "$rootfs" -c . | docker import \
	--change 'ENV PATH=/usr/local/bin:/usr/bin:/bin' \
	--change 'WORKDIR /data' \
	--change "LABEL org.redkit.redis-version=$version org.redkit.source=debian" \
	--change 'EXPOSE 6379' \
	--change 'CMD ["redis-server", "--save", "", "--appendonly", "no"]' \
	- "$REDIS_IMAGE" >/dev/null

docker run --rm --network none "$REDIS_IMAGE" redis-server --version >/dev/null ||
	die "the imported image $REDIS_IMAGE cannot run redis-server"
log "built $REDIS_IMAGE (Redis $version, $(du -sh "$rootfs" | cut -f1) rootfs)."
