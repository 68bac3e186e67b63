#!/usr/bin/env bash
# Regenerates the normalized command specification under spec/commands from
# Redis's upstream specification files (see the README of that directory).
# Usage: scripts/import-spec.sh [UPSTREAM_DIR]   (default ../shared/redis-spec)
# Files are merged in this order, later ones winning field by field: the
# redis-doc 7.2 spec, the redis/redis sources of 2024 (reply schemas), Redis
# 8.6.3's own source tree (src/commands/*.json with the reply schemas of
# that release, unpacked by scripts/build-server.sh --unpack from
# ../shared/servers or Debian's source package), the per-module files, and
# last the redis/docs core file, the newest (8.10: its arguments win, the
# 8.6 tree's reply schemas stay where the docs have none).
# Valkey 9.1.2's source tree (unpacked the same way) is then recorded as a
# server of its own (--server valkey=DIR): every command says on which
# servers it exists and since which version there, and arguments only one
# server has say so; the import prints what it could not merge.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
# A relative UPSTREAM_DIR is taken from the caller's directory; the default
# is relative to the repository root.
dir="$(cd "${1:-$root/../shared/redis-spec}" && pwd)"
cd "$root"

trees="$(mktemp -d)"
trap 'rm -rf "$trees"' EXIT
scripts/build-server.sh --unpack "$trees" redis valkey >/dev/null

go run ./cmd/redkit spec import --out spec/commands \
	"$dir/redis-doc-commands.json" \
	"$dir/redis-src-commands.json" \
	"$trees/redis-8.6.3" \
	"$dir/docs-commands_redisbloom.json" \
	"$dir/docs-commands_redisearch.json" \
	"$dir/docs-commands_redisjson.json" \
	"$dir/docs-commands_redistimeseries.json" \
	"$dir/docs-commands_core.json" \
	--server valkey="$trees/valkey-9.1.2"
