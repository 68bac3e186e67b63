#!/usr/bin/env bash
# Builds the newer servers the integration tests can run, from their
# unmodified upstream sources, and caches the binaries by version:
#
#   redis    8.6.3  (Debian source package redis 5:8.6.3-1, experimental)
#   valkey   9.1.2  (Debian source package valkey 9.1.2-1, sid)
#
# Sources, first found wins; every tarball is checked against the SHA-256
# below (the one ../shared/servers/README.md lists, which is also the
# .orig.tar.gz of the Debian source package):
#   1. $REDKIT_SERVER_SOURCES/<name>_<version>.orig.tar.gz (default: the
#      servers/ folder of ../shared beside the repository root);
#   2. a tarball an earlier run fetched, in the cache (sources/);
#   3. `apt-get source --download-only` from the Debian mirror this machine
#      already uses (from its apt sources), with a deb-src list for sid and
#      experimental kept in a private apt directory in the cache: the
#      system's apt configuration, lists and archives stay untouched. Only
#      the .orig tarball is used (unpacked with tar, as in 1), not Debian's
#      patches, so both ways build the same sources.
#
# Build: `nice make -j$BUILD_JOBS BUILD_TLS=yes USE_SYSTEMD=no` in a temporary
# directory (jemalloc and Lua from the tarball's deps/; tests not run).
# Redis 8.6.3's search, JSON, time series and probabilistic modules are not
# in its tarball and are not built (BUILD_WITH_MODULES stays unset, so
# nothing is fetched); vector sets are built into redis-server. Build
# dependencies (build-essential, pkg-config, libssl-dev) come from Debian
# when missing (apt-get install, as root or through sudo).
#
# Cache: $REDKIT_SERVER_CACHE (default ${XDG_CACHE_HOME:-$HOME/.cache}/redkit/servers)
#   <name>-<version>/bin/   what `make install` installs: <name>-server,
#                           -cli, -sentinel, -benchmark, -check-rdb,
#                           -check-aof (valkey adds the redis-* names)
#   <name>-<version>/build.log   the build's output
#   <name>-<version>/.complete   written last: what was built, from what, when
#   sources/    tarballs fetched with apt-get source;  apt/  its private apt
# A server whose bin/ is complete is not built again; delete its directory
# to rebuild.
#
# Prints each server's bin directory on stdout (progress goes to stderr).
#
# Usage: scripts/build-server.sh [redis|valkey]...        (default: both)
#        scripts/build-server.sh --unpack DIR [redis|valkey]...
#            only fetch, verify and unpack the sources into DIR/<name>-<version>
# Environment: REDKIT_SERVER_SOURCES, REDKIT_SERVER_CACHE, BUILD_JOBS
#   (default 2), BUILD_NICE (the build's niceness, default 10: the machine
#   stays usable), DEBIAN_MIRROR (default: the one in /etc/apt).
set -euo pipefail

log() { printf 'build-server: %s\n' "$*" >&2; }
die() { printf 'build-server: error: %s\n' "$*" >&2; exit 1; }

root="$(cd "$(dirname "$0")/.." && pwd)"
sources="${REDKIT_SERVER_SOURCES:-$root/../shared/servers}"
cache="${REDKIT_SERVER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/redkit/servers}"
jobs="${BUILD_JOBS:-2}"
niceness="${BUILD_NICE:-10}"

# name version debian-version suite sha256
server_info() {
	case "$1" in
	redis) echo "redis 8.6.3 5:8.6.3-1 experimental 58d0d1eb49a1ea6c2179659707fec171b1e2e2b8d5157ed2ec59d1d66ad5a654" ;;
	valkey) echo "valkey 9.1.2 9.1.2-1 sid 8e8557da7426a51b4e0fb514a65ef6241dc7c85cb408243af389070abf379cec" ;;
	*) die "unknown server '$1' (redis or valkey)" ;;
	esac
}

unpack_to=""
if [ "${1:-}" = "--unpack" ]; then
	[ $# -ge 2 ] || die "--unpack needs a directory"
	unpack_to="$2"
	shift 2
fi
[ $# -gt 0 ] || set -- redis valkey
for s in "$@"; do server_info "$s" >/dev/null; done

SUDO=()
[ "$(id -u)" -eq 0 ] || SUDO=(sudo)

# debian_mirror prints the Debian archive this machine's apt uses (its
# sources.list or .sources files, as apt itself reads them): the one whose
# Release file is labelled Debian (not Debian-Security), else, before any
# `apt-get update`, the first one ending in /debian/.
# shellcheck disable=SC2016 # $(LABEL) and $(REPO_URI) are apt-get's, not the shell's
debian_mirror() {
	if [ -n "${DEBIAN_MIRROR:-}" ]; then echo "$DEBIAN_MIRROR"; return; fi
	local m
	m="$(apt-get indextargets --format '$(LABEL)|$(REPO_URI)' 2>/dev/null |
		awk -F'|' '$1 == "Debian" { print $2; exit }')"
	[ -n "$m" ] || m="$(apt-get indextargets --no-release-info --format '$(REPO_URI)' 2>/dev/null |
		awk '/\/debian\/$/ && !/security/ { print; exit }')"
	echo "${m:-http://deb.debian.org/debian/}"
}

# apt_fetch NAME DEBVERSION SUITE DIR: downloads the Debian source package
# into DIR with a private apt directory (sources list, lists, cache).
apt_fetch() {
	local name=$1 debver=$2 suite=$3 dir=$4 apt="$cache/apt" mirror
	mirror="$(debian_mirror)"
	log "fetching $name=$debver with apt-get source from $mirror ($suite; private apt directory $apt)..."
	mkdir -p "$apt/etc/sources.list.d" "$apt/etc/preferences.d" "$apt/etc/apt.conf.d" \
		"$apt/state/lists/partial" "$apt/cache/archives/partial"
	local keyring=/usr/share/keyrings/debian-archive-keyring.gpg
	[ -r "$keyring" ] || die "$keyring is missing (apt-get install debian-archive-keyring)"
	cat >"$apt/etc/sources.list" <<EOF
deb-src [signed-by=$keyring] $mirror sid main
deb-src [signed-by=$keyring] $mirror experimental main
EOF
	local opts=(-o "Dir::Etc=$apt/etc" -o Dir::Etc::SourceList=sources.list
		-o Dir::Etc::SourceParts=sources.list.d -o "Dir::State=$apt/state"
		-o "Dir::Cache=$apt/cache" -o APT::Get::Only-Source=true -o APT::Sandbox::User="$(id -un)")
	apt-get "${opts[@]}" -qq update || die "apt-get update of the private sid/experimental list failed ($mirror)"
	# (Its NOTICE about the packaging's Git repository is left out.)
	(cd "$dir" && apt-get "${opts[@]}" -q source --download-only "$name=$debver" 2>&1 |
		sed -u '/^NOTICE: /,/^to retrieve /d') >&2 ||
		die "apt-get source $name=$debver failed: is that version still in $suite?"
}

# fetch_source NAME: prints the path of a verified .orig tarball.
fetch_source() {
	local name version debver suite sha tarball f
	read -r name version debver suite sha <<<"$(server_info "$1")"
	tarball="${name}_${version}.orig.tar.gz"
	for f in "$sources/$tarball" "$cache/sources/$tarball"; do
		[ -f "$f" ] || continue
		if [ "$(sha256sum "$f" | cut -d' ' -f1)" = "$sha" ]; then
			log "source: $f (SHA-256 verified)"
			echo "$f"
			return
		fi
		log "warning: $f does not have the expected SHA-256 $sha; ignoring it"
	done
	log "no $tarball in $sources or the cache"
	local dl="$cache/apt/download/$name"
	rm -rf "$dl"
	mkdir -p "$dl"
	apt_fetch "$name" "$debver" "$suite" "$dl"
	f="$dl/$tarball"
	[ -f "$f" ] || die "apt-get source did not download $tarball"
	[ "$(sha256sum "$f" | cut -d' ' -f1)" = "$sha" ] || die "$f from Debian does not have the expected SHA-256 $sha"
	mkdir -p "$cache/sources"
	mv "$f" "$cache/sources/$tarball"
	rm -rf "$dl"
	log "source: $cache/sources/$tarball (from Debian, SHA-256 verified, kept for later runs)"
	echo "$cache/sources/$tarball"
}

# unpack TARBALL DIR: unpacks into DIR (the tarball's single top directory
# becomes DIR).
unpack() {
	mkdir -p "$2"
	tar -xzf "$1" -C "$2" --strip-components=1
}

install_build_deps() {
	local p missing=()
	for p in build-essential pkg-config libssl-dev; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
	done
	[ "${#missing[@]}" -gt 0 ] || return 0
	log "installing ${missing[*]} (apt-get)..."
	"${SUDO[@]}" apt-get update -qq
	DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# build NAME: builds and installs into the cache unless it is there already.
build() {
	local name version debver suite sha dest lock
	read -r name version debver suite sha <<<"$(server_info "$1")"
	dest="$cache/$name-$version"
	if [ -x "$dest/bin/$name-server" ] && [ -f "$dest/.complete" ]; then
		log "$name $version: cached in $dest/bin; nothing to build."
		echo "$dest/bin"
		return
	fi
	# One build of a server at a time (another checkout's `make setup`, say):
	# wait for it, then use what it cached.
	mkdir -p "$cache"
	exec {lock}>"$cache/.$name-$version.lock"
	if ! flock -n "$lock"; then
		log "$name $version: another build-server.sh is building it; waiting..."
		flock "$lock"
	fi
	if [ -x "$dest/bin/$name-server" ] && [ -f "$dest/.complete" ]; then
		exec {lock}>&-
		log "$name $version: cached in $dest/bin (by the other run)."
		echo "$dest/bin"
		return
	fi
	local tarball start=$SECONDS work
	tarball="$(fetch_source "$name")"
	install_build_deps
	work="$(mktemp -d "${TMPDIR:-/tmp}/redkit-build-$name.XXXXXX")"
	# Interrupted (Ctrl-C): nothing half-built is left behind. A failed make
	# keeps the sources for a look.
	trap 'rm -rf "$work" "$dest.tmp"; log "$name $version: interrupted"; exit 130' INT TERM
	unpack "$tarball" "$work/src"
	rm -rf "$dest.tmp"
	mkdir -p "$dest.tmp"
	local flags=(-j"$jobs" BUILD_TLS=yes USE_SYSTEMD=no)
	log "$name $version: nice -n $niceness make ${flags[*]} in $work/src (about 3 to 5 minutes on 2 cores, up to 10 on a busy machine; output in $dest/build.log)..."
	# Progress: the link steps as they happen and a line every 200 lines of output.
	if ! nice -n "$niceness" make -C "$work/src" "${flags[@]}" 2>&1 | tee "$dest.tmp/build.log" |
		awk -v p="$name $version" '/LINK/ { gsub(/\033\[[0-9;]*m|^[ \t]+/, ""); printf "build-server: %s: %s\n", p, $0; fflush() }
			NR % 200 == 0 { printf "build-server: %s: %d lines of make output\n", p, NR; fflush() }' >&2; then
		tail -n 40 "$dest.tmp/build.log" >&2
		die "$name $version: make failed after $((SECONDS - start))s (sources kept in $work/src, log in $dest.tmp/build.log)"
	fi
	make -C "$work/src" "${flags[@]}" install PREFIX="$dest.tmp" >>"$dest.tmp/build.log" 2>&1 ||
		die "$name $version: make install failed (log in $dest.tmp/build.log)"
	"$dest.tmp/bin/$name-server" --version >&2 || die "the built $name-server does not run"
	printf 'source=%s sha256=%s flags=%s built=%s\n' "$(basename "$tarball")" "$sha" "${flags[*]}" "$(date -u +%FT%TZ)" >"$dest.tmp/.complete"
	rm -rf "$dest"
	mv "$dest.tmp" "$dest"
	rm -rf "$work"
	trap - INT TERM
	exec {lock}>&-
	log "$name $version: built and cached in $dest/bin in $((SECONDS - start))s."
	echo "$dest/bin"
}

for s in "$@"; do
	if [ -n "$unpack_to" ]; then
		read -r name version _ <<<"$(server_info "$s")"
		[ ! -e "$unpack_to/$name-$version" ] || die "$unpack_to/$name-$version exists already"
		tarball="$(fetch_source "$s")"
		unpack "$tarball" "$unpack_to/$name-$version"
		log "unpacked $name $version into $unpack_to/$name-$version"
		echo "$unpack_to/$name-$version"
	else
		build "$s"
	fi
done
