#!/usr/bin/env bash
# Provides the server images the integration tests (./integration) run.
#
#   key  variable          default (built locally)   from
#   7.0  REDIS_IMAGE       redkit/redis:7.0-local    Debian's redis-server 7.0 (bookworm)
#   8.6  REDIS_8_6_IMAGE   redkit/redis:8.6-local    Redis 8.6.3 (scripts/build-server.sh)
#   9.1  VALKEY_9_1_IMAGE  redkit/valkey:9.1-local   Valkey 9.1.2 (scripts/build-server.sh)
#
# Idempotent: when `docker image inspect` finds an image, nothing is done
# for it. REDIS_IMAGE is the image the tests use (default the 7.0 one); the
# others are there for runs against newer servers (for now
# REDIS_IMAGE=redkit/redis:8.6-local or redkit/valkey:9.1-local: the Valkey
# image answers to the redis-* names too).
#
# A variable naming another image (an official redis or valkey image where
# a registry is reachable) replaces the local one: the script only checks
# that it exists, or pulls it, and builds nothing. A variable naming one of
# the local images gets that image built.
#
# A local image is imported (docker import, no registry, no Dockerfile)
# from a root filesystem holding only the server's binaries, the shared
# libraries `ldd` lists for them, the dynamic loader, /etc/passwd and
# /etc/group (with nobody), /tmp and /data. Its command is
# `<name>-server --save "" --appendonly no`.
#   7.0: Debian's redis-server, redis-sentinel and redis-tools, installed
#        when missing. On Debian, redis-server and redis-sentinel are
#        symlinks to redis-check-rdb (the one binary picks its role from
#        argv[0]); the image keeps that layout.
#   8.6, 9.1: the binaries scripts/build-server.sh builds and caches (the
#        first time takes about 3 to 5 minutes each on 2 cores, up to 10
#        on a busy machine; later runs find them in the cache). redis-sentinel, redis-check-rdb and
#        redis-check-aof are symlinks to redis-server; the Valkey image
#        holds the valkey-* names and the redis-* symlinks to them.
#
# Needs a running Docker engine (scripts/setup-docker.sh).
# Usage: scripts/build-redis-image.sh [7.0|8.6|9.1]...   (default 7.0)
set -euo pipefail

log() { printf 'build-redis-image: %s\n' "$*"; }
die() { printf 'build-redis-image: error: %s\n' "$*" >&2; exit 1; }

here="$(cd "$(dirname "$0")" && pwd)"

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
	command -v sudo >/dev/null 2>&1 || die "not root and sudo is missing: run this script as root"
	SUDO=(sudo)
fi

command -v docker >/dev/null 2>&1 || die "docker is not installed: run scripts/setup-docker.sh first"
docker info >/dev/null 2>&1 || die "no Docker engine answers: run scripts/setup-docker.sh first"

# local_image KEY, image_var KEY: the default name and the variable of each image.
local_image() {
	case "$1" in
	7.0) echo redkit/redis:7.0-local ;;
	8.6) echo redkit/redis:8.6-local ;;
	9.1) echo redkit/valkey:9.1-local ;;
	*) die "unknown image '$1' (7.0, 8.6 or 9.1)" ;;
	esac
}
image_var() {
	case "$1" in 7.0) echo REDIS_IMAGE ;; 8.6) echo REDIS_8_6_IMAGE ;; 9.1) echo VALKEY_9_1_IMAGE ;; esac
}

# debian_redis installs Debian's Redis packages when they are missing.
debian_redis() {
	local p missing=()
	for p in redis-server redis-sentinel redis-tools; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
	done
	[ "${#missing[@]}" -gt 0 ] || return 0
	log "installing ${missing[*]} (apt-get)..."
	export DEBIAN_FRONTEND=noninteractive
	# Keep the packages' services from starting a Redis on port 6379: only
	# the binaries are wanted. policy-rc.d is added only when absent.
	local policy=/usr/sbin/policy-rc.d added_policy=0
	if [ ! -e "$policy" ]; then
		printf '#!/bin/sh\nexit 101\n' | "${SUDO[@]}" tee "$policy" >/dev/null
		"${SUDO[@]}" chmod 755 "$policy"
		added_policy=1
	fi
	local ok=1
	{ "${SUDO[@]}" apt-get update && "${SUDO[@]}" apt-get install -y --no-install-recommends "${missing[@]}"; } || ok=0
	if [ "$added_policy" = 1 ]; then "${SUDO[@]}" rm -f "$policy"; fi
	[ "$ok" = 1 ] || die "apt-get install ${missing[*]} failed"
}

# import_image IMAGE BINDIR SERVER VERSION SOURCE NAME...: imports IMAGE from
# a root filesystem holding BINDIR's NAMEs in /usr/bin (a symlink to a
# file in the same directory stays a symlink), with SERVER-server as its
# command.
import_image() {
	local image=$1 bindir=$2 server=$3 version=$4 source=$5
	shift 5
	local rootfs b target
	rootfs="$(mktemp -d /tmp/redkit-redis-rootfs.XXXXXX)"
	trap 'rm -rf "$rootfs"' EXIT
	mkdir -p "$rootfs/usr/bin" "$rootfs/etc" "$rootfs/data" "$rootfs/tmp"
	chmod 1777 "$rootfs/tmp"

	local binaries=()
	for b in "$@"; do
		[ -e "$bindir/$b" ] || die "$bindir/$b is missing"
		if [ -L "$bindir/$b" ]; then
			target="$(readlink "$bindir/$b")"
			case "$target" in
			*/*) cp -L "$bindir/$b" "$rootfs/usr/bin/$b" ;; # a symlink elsewhere: copy the file
			*) ln -s "$target" "$rootfs/usr/bin/$b" ;;
			esac
		else
			cp "$bindir/$b" "$rootfs/usr/bin/$b"
		fi
		binaries+=("$(readlink -f "$bindir/$b")")
	done

	# Shared libraries and the dynamic loader, at the paths ldd reports.
	local libs lib
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
		chroot "$rootfs" "/usr/bin/$server-server" --version >/dev/null ||
			die "$server-server does not run inside the assembled rootfs"
	fi

	local labels="org.redkit.server=$server org.redkit.version=$version org.redkit.source=$source"
	[ "$server" != redis ] || labels="$labels org.redkit.redis-version=$version"
	tar -C "$rootfs" -c . | docker import \
		--change 'ENV PATH=/usr/local/bin:/usr/bin:/bin' \
		--change 'WORKDIR /data' \
		--change "LABEL $labels" \
		--change 'EXPOSE 6379' \
		--change "CMD [\"$server-server\", \"--save\", \"\", \"--appendonly\", \"no\"]" \
		- "$image" >/dev/null

	docker run --rm --network none "$image" "$server-server" --version >/dev/null ||
		die "the imported image $image cannot run $server-server"
	log "built $image ($server $version from $source, $(du -sh "$rootfs" | cut -f1) rootfs)."
	rm -rf "$rootfs"
	trap - EXIT
}

# build_local KEY IMAGE: builds the local image KEY under the name IMAGE.
build_local() {
	local key=$1 image=$2 bin version
	local roles=(server sentinel cli check-rdb check-aof)
	case "$key" in
	7.0)
		debian_redis
		[ -x "$(readlink -f /usr/bin/redis-server)" ] || die "/usr/bin/redis-server is missing after installation"
		version="$(/usr/bin/redis-server --version | sed -n 's/.* v=\([0-9.]*\).*/\1/p')"
		log "building $image from Debian's Redis $version..."
		import_image "$image" /usr/bin redis "$version" debian "${roles[@]/#/redis-}"
		;;
	8.6)
		log "building $image from Redis 8.6.3 (scripts/build-server.sh redis)..."
		bin="$("$here/build-server.sh" redis)"
		import_image "$image" "$bin" redis 8.6.3 upstream "${roles[@]/#/redis-}"
		;;
	9.1)
		log "building $image from Valkey 9.1.2 (scripts/build-server.sh valkey)..."
		bin="$("$here/build-server.sh" valkey)"
		import_image "$image" "$bin" valkey 9.1.2 upstream "${roles[@]/#/valkey-}" "${roles[@]/#/redis-}"
		;;
	esac
}

[ $# -gt 0 ] || set -- 7.0
for key in "$@"; do local_image "$key" >/dev/null; done
for key in "$@"; do
	var="$(image_var "$key")"
	image="${!var:-$(local_image "$key")}"
	if docker image inspect "$image" >/dev/null 2>&1; then
		log "image $image is present; nothing to do."
		continue
	fi
	# A local name, whichever variable holds it, is built here.
	built=0
	for k in 7.0 8.6 9.1; do
		if [ "$image" = "$(local_image "$k")" ]; then
			build_local "$k" "$image"
			built=1
		fi
	done
	[ "$built" = 0 ] || continue
	log "image $image is missing; pulling it..."
	docker pull "$image" || die "cannot pull $image (no registry reachable?); unset $var to build $(local_image "$key") locally"
	log "pulled $image."
done
