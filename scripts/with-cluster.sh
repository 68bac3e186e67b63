#!/usr/bin/env bash
# Runs a command with a disposable Redis Cluster: Debian's redis-server, by
# default 3 masters with one replica each, on free 127.0.0.1 ports (client
# and cluster-bus ports both chosen free; nothing listens elsewhere), no
# persistence, no Docker. REDIS_CLUSTER_SEEDS (comma-separated host:port of
# every node, masters first) points at it; the servers stop and their files
# go when the command ends, fails or is interrupted.
#
#   scripts/with-cluster.sh sh -c 'cd bench && go run . -cluster "$REDIS_CLUSTER_SEEDS"'
#
# Environment (all optional):
#   CLUSTER_MASTERS=3          masters (at least 3: failover needs a majority)
#   CLUSTER_REPLICAS=1         replicas per master
#   CLUSTER_NODE_TIMEOUT=2000  cluster-node-timeout in milliseconds
#   CLUSTER_START_TIMEOUT=60   seconds allowed for the cluster to form
#   CLUSTER_RUN_TIMEOUT=3600   seconds allowed for the command (0: no bound)
#   CLUSTER_SHOW_LOGS=1        print the servers' logs when the command fails
#                              (they are printed anyway when the cluster
#                              does not form)
set -euo pipefail

[ $# -gt 0 ] || { echo "usage: $0 COMMAND [ARG...]" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
"$here/install-redis.sh"

masters=${CLUSTER_MASTERS:-3}
replicas=${CLUSTER_REPLICAS:-1}
node_timeout=${CLUSTER_NODE_TIMEOUT:-2000}
start_timeout=${CLUSTER_START_TIMEOUT:-60}
run_timeout=${CLUSTER_RUN_TIMEOUT:-3600}
total=$((masters * (1 + replicas)))
[ "$masters" -ge 3 ] || { echo "with-cluster: CLUSTER_MASTERS must be at least 3" >&2; exit 2; }

log() { echo "with-cluster: $*" >&2; }

dir=$(mktemp -d "${TMPDIR:-/tmp}/redkit-cluster.XXXXXX")
pids=()
ports=()
cports=()
formed=0

cleanup() {
	local code=$?
	trap - EXIT INT TERM
	# Stop only the servers this script started, by PID: TERM, then KILL
	# whatever is still there after a bounded wait.
	for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
	for _ in $(seq 1 50); do
		local alive=0
		for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
		[ "$alive" -eq 0 ] && break
		sleep 0.1
	done
	for pid in "${pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
	for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
	if [ "$code" -ne 0 ] && { [ "$formed" = 0 ] || [ "${CLUSTER_SHOW_LOGS:-0}" = 1 ]; }; then
		for f in "$dir"/*/redis.log; do [ -f "$f" ] && { echo "== $f" >&2; tail -n 50 "$f" >&2; }; done
	fi
	rm -rf "$dir"
	exit "$code"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# in_use reports a TCP port that something listens on, or that this script
# already handed out.
in_use() {
	local p=$1 q
	for q in "${ports[@]}" "${cports[@]}"; do [ "$q" = "$p" ] && return 0; done
	if ss -Htln "sport = :$p" 2>/dev/null | grep -q .; then return 0; fi
	(exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null && return 0
	return 1
}

# Ports are drawn below the kernel's ephemeral range, where no outgoing
# connection holds them (binding one of those fails even when nothing
# listens).
low=$(awk '{print $1}' /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
[ "$low" -gt 12000 ] || low=32768
free_port() {
	local p
	for _ in $(seq 1 200); do
		p=$(((RANDOM * 32768 + RANDOM) % (low - 11000) + 10000))
		in_use "$p" || { echo "$p"; return 0; }
	done
	log "no free port found"
	return 1
}

cli() { timeout 5 redis-cli -h 127.0.0.1 -p "$1" "${@:2}"; }

# start_node starts one server on fresh ports, retrying when a port was
# taken between the probe and the bind.
start_node() {
	local i=$1 port cport ndir pid
	for attempt in 1 2 3 4 5; do
		port=$(free_port)
		ports+=("$port")
		cport=$(free_port)
		cports+=("$cport")
		ndir="$dir/node$i"
		rm -rf "$ndir"
		mkdir -p "$ndir"
		redis-server --port "$port" --bind 127.0.0.1 --protected-mode no \
			--cluster-enabled yes --cluster-port "$cport" \
			--cluster-config-file nodes.conf --cluster-node-timeout "$node_timeout" \
			--cluster-announce-ip 127.0.0.1 --repl-diskless-sync-delay 0 \
			--save "" --appendonly no --dir "$ndir" --logfile "$ndir/redis.log" \
			--daemonize no >/dev/null 2>&1 &
		pid=$!
		for _ in $(seq 1 100); do
			if cli "$port" ping >/dev/null 2>&1; then
				pids+=("$pid")
				node_port[$i]=$port
				node_cport[$i]=$cport
				return 0
			fi
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.05
		done
		kill -9 "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
		if ! grep -q "Address already in use" "$ndir/redis.log" 2>/dev/null; then
			log "node $i did not start:"
			tail -n 20 "$ndir/redis.log" >&2 || true
			return 1
		fi
		log "node $i: port taken meanwhile (attempt $attempt: $(grep -m1 "Address already in use" "$ndir/redis.log")); retrying"
	done
	return 1
}

declare -a node_port node_cport node_id
for i in $(seq 0 $((total - 1))); do start_node "$i"; done

deadline=$((SECONDS + start_timeout))
until_ok() { # until_ok WHAT COMMAND...: retries COMMAND until it succeeds or the deadline passes
	local what=$1
	shift
	while ! "$@" >/dev/null 2>&1; do
		if [ "$SECONDS" -ge "$deadline" ]; then
			log "timed out after ${start_timeout}s waiting for $what"
			return 1
		fi
		sleep 0.1
	done
}

for i in $(seq 0 $((total - 1))); do
	node_id[$i]=$(cli "${node_port[$i]}" cluster myid)
	# Distinct config epochs up front: no collision to resolve later.
	cli "${node_port[$i]}" cluster set-config-epoch $((i + 1)) >/dev/null
done
for i in $(seq 1 $((total - 1))); do
	cli "${node_port[0]}" cluster meet 127.0.0.1 "${node_port[$i]}" "${node_cport[$i]}" >/dev/null
done
knows_all() {
	local p
	for p in "${node_port[@]}"; do
		cli "$p" cluster info | grep -q "^cluster_known_nodes:$total" || return 1
		! cli "$p" cluster nodes | grep -q handshake || return 1
	done
}
until_ok "the nodes to meet" knows_all

per=$((16384 / masters))
for m in $(seq 0 $((masters - 1))); do
	first=$((m * per))
	last=$(((m + 1) * per - 1))
	[ "$m" -eq $((masters - 1)) ] && last=16383
	cli "${node_port[$m]}" cluster addslotsrange "$first" "$last" >/dev/null
done
for r in $(seq "$masters" $((total - 1))); do
	m=$(((r - masters) % masters))
	until_ok "node $r to replicate node $m" cli "${node_port[$r]}" cluster replicate "${node_id[$m]}"
	cli "${node_port[$r]}" cluster replicate "${node_id[$m]}" | grep -q OK
done
linked() {
	for r in $(seq "$masters" $((total - 1))); do
		cli "${node_port[$r]}" info replication | grep -q "master_link_status:up" || return 1
	done
}
until_ok "the replicas to sync" linked
# CLUSTER SHARDS reports a replica "loading" until its replication offset
# is not zero, which an idle master only changes every
# repl-ping-replica-period (10 s): a write (FLUSHALL of the empty
# database) moves it now.
for m in $(seq 0 $((masters - 1))); do cli "${node_port[$m]}" flushall >/dev/null; done
formed() {
	local p
	for p in "${node_port[@]}"; do
		cli "$p" cluster info | grep -q "^cluster_state:ok" || return 1
		cli "$p" cluster info | grep -q "^cluster_slots_ok:16384" || return 1
		[ "$(cli "$p" cluster nodes | grep -c slave)" -eq $((total - masters)) ] || return 1
		# Replicas count as healthy once their offsets have gossiped.
		! cli "$p" cluster shards | grep -qx -e loading -e fail || return 1
	done
	for r in $(seq "$masters" $((total - 1))); do
		cli "${node_port[$r]}" info replication | grep -q "master_link_status:up" || return 1
	done
}
until_ok "cluster_state:ok and connected replicas on every node" formed

formed=1
seeds=""
for p in "${node_port[@]}"; do seeds="$seeds${seeds:+,}127.0.0.1:$p"; done
export REDIS_CLUSTER_SEEDS=$seeds
log "Redis $(redis-server --version | awk '{print $3}' | cut -d= -f2) cluster: $masters masters + $((total - masters)) replicas, formed in $((SECONDS - deadline + start_timeout))s; REDIS_CLUSTER_SEEDS=$seeds"

# The command runs in the background (its standard input kept) so that a
# signal to this script is handled at once: forwarded to the command, which
# gets 10 s to end before it is killed, then the servers stop.
set +e
if [ "$run_timeout" -gt 0 ]; then
	timeout --foreground --kill-after=10 "$run_timeout" "$@" <&0 &
else
	"$@" <&0 &
fi
cmd=$!
forward() {
	trap - INT TERM
	kill -"$1" "$cmd" 2>/dev/null
	for _ in $(seq 1 100); do kill -0 "$cmd" 2>/dev/null || break; sleep 0.1; done
	if kill -0 "$cmd" 2>/dev/null; then
		for child in $(ps -o pid= --ppid "$cmd" 2>/dev/null); do kill -9 "$child" 2>/dev/null; done
		kill -9 "$cmd" 2>/dev/null
	fi
	exit "$2"
}
trap 'forward INT 130' INT
trap 'forward TERM 143' TERM
wait "$cmd"
code=$?
set -e
[ "$code" -eq 124 ] && log "the command timed out after ${run_timeout}s"
exit "$code"
