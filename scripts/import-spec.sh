#!/usr/bin/env bash
# Regenerates the normalized command specification under spec/commands from
# Redis's upstream specification files (see the README of that directory).
# Usage: scripts/import-spec.sh [UPSTREAM_DIR]   (default ../shared/redis-spec)
# Files are merged in this order, later ones winning field by field: the
# redis-doc 7.2 spec, the redis/redis sources (the only reply schemas), the
# per-module files, and last the redis/docs core file, the newest.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
# A relative UPSTREAM_DIR is taken from the caller's directory; the default
# is relative to the repository root.
dir="$(cd "${1:-$root/../shared/redis-spec}" && pwd)"
cd "$root"

go run ./cmd/redkit spec import --out spec/commands \
	"$dir/redis-doc-commands.json" \
	"$dir/redis-src-commands.json" \
	"$dir/docs-commands_redisbloom.json" \
	"$dir/docs-commands_redisearch.json" \
	"$dir/docs-commands_redisjson.json" \
	"$dir/docs-commands_redistimeseries.json" \
	"$dir/docs-commands_core.json"
