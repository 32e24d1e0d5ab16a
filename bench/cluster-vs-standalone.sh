#!/usr/bin/env bash
# Lock+release throughput of a 3-node cluster against a standalone server, same jars, same run,
# alternating (docs/BENCHMARKS.md "Cluster mode"). CPU per pair is read from /proc for the server
# processes (all three nodes for the cluster) and includes the bench's 200 warm-up rounds.
# Usage: bench/cluster-vs-standalone.sh [RAFT_BASE_DIR=/tmp/dflockd-tp] [ROUNDS=3]
# Needs the launcher jars: run bin/dflockd --version and bin/dflockd-bench --version once.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
base="${1:-/tmp/dflockd-tp}"; reps="${2:-3}"
sj="$root/server/target-launch/dflockd-server.jar"; bj="$root/bench/target-launch/dflockd-bench.jar"
[ -f "$sj" ] && [ -f "$bj" ] || { echo "build the launcher jars first (bin/dflockd --version, bin/dflockd-bench --version)" >&2; exit 2; }
rm -rf "$base"; mkdir -p "$base"
java -Xmx256m -jar "$sj" --host 127.0.0.1 --port 6500 >"$base/standalone.log" 2>&1 &
pids=($!)
peers="n1=127.0.0.1:7101@127.0.0.1:6501,n2=127.0.0.1:7102@127.0.0.1:6502,n3=127.0.0.1:7103@127.0.0.1:6503"
for i in 1 2 3; do
    mkdir -p "$base/n$i"
    java -Xmx256m -jar "$sj" --host 127.0.0.1 --port 650$i --raft-dir "$base/n$i" --node-id n$i \
        --raft-addr 127.0.0.1:710$i --cluster-peers "$peers" >"$base/n$i.log" 2>&1 &
    pids+=($!)
done
trap 'kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null' EXIT
until grep -q "leader is now" "$base/n1.log"; do sleep 0.5; done
sleep 2
cpu() { for p in "$@"; do awk '{print $14+$15}' "/proc/$p/stat"; done | paste -sd+ | bc; }
run() { # label, bench target args, server pids...
    local label=$1 target=$2; shift 2
    local a b out
    a=$(cpu "$@")
    out=$(java -jar "$bj" locks -w 100 -r 500 $target 2>&1 | grep -E "throughput|pair " | tr -s ' ' | tr '\n' ' ')
    b=$(cpu "$@")
    echo "$label :: $out:: CPU ms/pair $(echo "scale=3; ($b - $a) * 10 / 70000" | bc), load $(cut -d' ' -f1 /proc/loadavg)"
}
for _ in $(seq 1 "$reps"); do
    run standalone "--port 6500" "${pids[0]}"
    run cluster "--servers 127.0.0.1:6501,127.0.0.1:6502,127.0.0.1:6503" "${pids[@]:1}"
done
