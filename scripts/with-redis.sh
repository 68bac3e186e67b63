#!/usr/bin/env bash
# Runs a command with a disposable Redis server: Debian's redis-server on a
# free 127.0.0.1 port, without persistence. REDIS_ADDR and REDIS_URL point
# at it; the server stops (and its files go) when the command ends.
#
#   scripts/with-redis.sh sh -c 'go run ./cmd/redkit demo --url "$REDIS_URL"'
set -euo pipefail

[ $# -gt 0 ] || { echo "usage: $0 COMMAND [ARG...]" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
"$here/install-redis.sh"

# A free port: probe random ones until nothing answers.
port=""
for _ in $(seq 1 50); do
	p=$(( (RANDOM % 30000) + 20000 ))
	if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
		port=$p
		break
	fi
done
[ -n "$port" ] || { echo "with-redis: no free port found" >&2; exit 1; }

dir=$(mktemp -d)
redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no \
	--dir "$dir" --logfile "$dir/redis.log" --daemonize no &
pid=$!
cleanup() {
	kill "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	rm -rf "$dir"
}
trap cleanup EXIT

for _ in $(seq 1 100); do
	if redis-cli -p "$port" ping >/dev/null 2>&1; then
		break
	fi
	sleep 0.05
done
redis-cli -p "$port" ping >/dev/null || { echo "with-redis: server did not start:" >&2; cat "$dir/redis.log" >&2; exit 1; }

echo "with-redis: disposable Redis $(redis-server --version | awk '{print $3}') on 127.0.0.1:$port"
export REDIS_ADDR="127.0.0.1:$port"
export REDIS_URL="redis://127.0.0.1:$port/0"
"$@"
