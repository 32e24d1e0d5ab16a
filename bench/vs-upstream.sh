#!/usr/bin/env bash
# Side by side with the upstream Go server, in one run (issue 13's targets):
#   * upstream's own Go bench (cmd/bench: W workers x R rounds of lock+release, one connection and
#     one key per worker) against the upstream server and against ours;
#   * a contended hand-off on one key (our load tool's `contended`, SharedKeyWorkload), the same
#     client against both servers: raw sockets and/or the Java client library;
# alternating the two servers ROUNDS times (upstream first in odd rounds, ours first in even ones),
# with both servers started once and left running. Server CPU is utime+stime from /proc/PID/stat
# before and after each run, reported per 100k operations (a pair = lock + release; a hand-off).
#
# Usage: bench/vs-upstream.sh            (environment variables below; all optional)
#   UPSTREAM_DIR      where /work/shared/tools/build-upstream left its output (default
#                     ${TMPDIR:-/tmp}/dflockd-upstream); uses dflockd-main and bench-main there,
#                     or set UPSTREAM_SERVER and UPSTREAM_BENCH to the two binaries
#   OURS_JAR          our server jar (default: server/target-launch/dflockd-server.jar, built or
#                     rebuilt the way bin/dflockd does); BENCH_JAR likewise for bench/target-launch
#   ROUNDS=5          alternations
#   WORKERS=100 PAIRS=500 LEASE=10 TIMEOUT=30   cmd/bench's --workers --rounds --lease --timeout
#   CONTENDED_WORKERS=10 CONTENDED_ROUNDS=3000  `contended -w -r`
#   CONTENDED_CLIENTS="raw library"             which clients drive `contended` ("" = skip it)
#   WARMUP=1          before round 1, per server: WARMUP_RUNS untimed full-size cmd/bench runs (W x R)
#                     and one untimed `contended` run per client, so that round 1 of ours is not
#                     JIT-cold (C2 needs ~10^4 calls per method; a W x 100 run left round 1 at
#                     0.7x while later rounds were 1.5x) and upstream's heap and goroutine pools
#                     are grown too; WARMUP=0 skips it
#   WARMUP_RUNS=2     full-size cmd/bench runs per server in the warm-up
#   UPSTREAM_PORT=27388 OURS_PORT=27389
#   UPSTREAM_FLAGS, OURS_FLAGS, OURS_JAVA_OPTS, BENCH_JAVA_OPTS   extra server flags / JVM options
#   OUT               directory for every raw output (default /tmp/dflockd-vs-upstream.<UTC time>)
# Needs: bash, awk, jq, a Go-built upstream (no upstream code is in this repository) and Java 17.
# Prints the machine, every run and a summary against the targets; the same text is in $OUT/report.txt.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

UPSTREAM_DIR="${UPSTREAM_DIR:-${TMPDIR:-/tmp}/dflockd-upstream}"
UPSTREAM_SERVER="${UPSTREAM_SERVER:-$UPSTREAM_DIR/dflockd-main}"
UPSTREAM_BENCH="${UPSTREAM_BENCH:-$UPSTREAM_DIR/bench-main}"
ROUNDS="${ROUNDS:-5}"
WORKERS="${WORKERS:-100}" PAIRS="${PAIRS:-500}" LEASE="${LEASE:-10}" TIMEOUT="${TIMEOUT:-30}"
CONTENDED_WORKERS="${CONTENDED_WORKERS:-10}" CONTENDED_ROUNDS="${CONTENDED_ROUNDS:-3000}"
CONTENDED_CLIENTS="${CONTENDED_CLIENTS-raw library}"
WARMUP="${WARMUP:-1}" WARMUP_RUNS="${WARMUP_RUNS:-2}"
UPSTREAM_PORT="${UPSTREAM_PORT:-27388}" OURS_PORT="${OURS_PORT:-27389}"
OUT="${OUT:-/tmp/dflockd-vs-upstream.$(date -u +%Y%m%dT%H%M%SZ)}"

die() { echo "vs-upstream: $*" >&2; exit 1; }
[ -x "$UPSTREAM_SERVER" ] || die "no upstream server at $UPSTREAM_SERVER (run /work/shared/tools/build-upstream, or set UPSTREAM_SERVER)"
[ -x "$UPSTREAM_BENCH" ] || die "no upstream cmd/bench at $UPSTREAM_BENCH (set UPSTREAM_BENCH)"
command -v jq >/dev/null || die "jq is needed to read the load tool's --json output"
mkdir -p "$OUT"

. "$root/bin/lib/build.sh"
OURS_JAR="${OURS_JAR:-$(launcher_jar server dflockd-server.jar)}"
BENCH_JAR="${BENCH_JAR:-$(launcher_jar bench dflockd-bench.jar)}"
if [ "$OURS_JAR" = "$(launcher_jar server dflockd-server.jar)" ]; then
  launcher_build dflockd "protocol server" "$OURS_JAR"
fi
if [ "$BENCH_JAR" = "$(launcher_jar bench dflockd-bench.jar)" ]; then
  launcher_build dflockd-bench "protocol server client bench" "$BENCH_JAR"
fi

report="$OUT/report.txt"
say() { echo "$*" | tee -a "$report"; }

# --- the two servers, started once ---------------------------------------------------------------
. "$root/bench/lib/two-servers.sh"

# --- the machine --------------------------------------------------------------------------------
say "# dflockd vs upstream, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
describe_servers "$(cat "$UPSTREAM_DIR/.dflockd-main.commit" 2>/dev/null || echo '?'); $(grep '^go:' "$UPSTREAM_DIR/BUILD-INFO" 2>/dev/null || echo 'go: ?')"
say "cmd/bench: --workers $WORKERS --rounds $PAIRS --lease $LEASE --timeout $TIMEOUT; contended: -w $CONTENDED_WORKERS -r $CONTENDED_ROUNDS, clients: ${CONTENDED_CLIENTS:-(skipped)}; rounds: $ROUNDS; warm-up: $([ "$WARMUP" = 1 ] && echo "$WARMUP_RUNS x cmd/bench W x R + 1 contended per client, per server" || echo none)"
say "raw outputs: $OUT"
say ""

cpu_ticks() { sed 's/^.*) //' "/proc/$1/stat" | awk '{print $12 + $13}'; } # utime + stime, after "comm"
ticks_per_s="$(getconf CLK_TCK)"

results="$OUT/results.tsv" # round server workload per_s p50_ms p99_ms cpu_s_per_100k ops loadavg
: >"$results"

# go_bench ROUND SERVER [ROUNDS_PER_WORKER]: upstream's cmd/bench against SERVER
go_bench() {
  local round=$1 server=$2 pairs=${3:-$PAIRS} pid log t0 t1 load
  pid=$(pid_of "$server"); log="$OUT/r$round-$server-gobench.txt"; load=$(cut -d' ' -f1 /proc/loadavg)
  t0=$(cpu_ticks "$pid")
  "$UPSTREAM_BENCH" --servers "127.0.0.1:$(port_of "$server")" --workers "$WORKERS" --rounds "$pairs" \
    --lease "$LEASE" --timeout "$TIMEOUT" >"$log" 2>&1 || die "cmd/bench failed against $server: $(tail -3 "$log")"
  t1=$(cpu_ticks "$pid")
  [ "$round" = warmup ] && return 0
  awk -v r="$round" -v s="$server" -v dt="$((t1 - t0))" -v hz="$ticks_per_s" -v load="$load" -F: '
    /total ops/ { ops = $2 + 0 } /throughput/ { tp = $2 + 0 } /p50/ { p50 = $2 + 0 } /p99/ { p99 = $2 + 0 }
    END { printf "%s\t%s\tlocks\t%.1f\t%.3f\t%.3f\t%.3f\t%d\t%s\n", r, s, tp, p50, p99, dt / hz * 100000 / ops, ops, load }
  ' "$log" >>"$results"
}

# contended ROUND SERVER CLIENT: our load tool's one-key hand-off against SERVER
contended() {
  local round=$1 server=$2 client=$3 pid log load raw=
  pid=$(pid_of "$server"); log="$OUT/r$round-$server-contended-$client.json"; load=$(cut -d' ' -f1 /proc/loadavg)
  [ "$client" = raw ] && raw=--raw
  # shellcheck disable=SC2086
  java ${BENCH_JAVA_OPTS:-} -jar "$BENCH_JAR" contended --port "$(port_of "$server")" -w "$CONTENDED_WORKERS" \
    -r "$CONTENDED_ROUNDS" --server-pid "$pid" --json $raw >"$log" 2>"$log.err" \
    || die "contended failed against $server: $(tail -3 "$log.err")"
  [ "$round" = warmup ] && return 0
  jq -r --arg r "$round" --arg s "$server" --arg w "contended-$client" --arg load "$load" '
    if .errors != 0 then error("errors: \(.first_error)") else . end
    | [$r, $s, $w, (.per_second * 10 | round / 10), (.latency_us.acquire.p50 / 1000), (.latency_us.acquire.p99 / 1000),
       (.server_cpu_s_per_100k * 1000 | round / 1000), .operations, $load] | @tsv' "$log" >>"$results"
}

if [ "$WARMUP" = 1 ]; then
  # Same client, same parameters as the timed rounds, nothing recorded; upstream first, then ours.
  for server in upstream ours; do
    for _ in $(seq 1 "$WARMUP_RUNS"); do go_bench warmup "$server"; done
    for client in $CONTENDED_CLIENTS; do contended warmup "$server" "$client"; done
  done
  echo "vs-upstream: warm-up done" >&2
fi
for round in $(seq 1 "$ROUNDS"); do
  if [ $((round % 2)) = 1 ]; then order="upstream ours"; else order="ours upstream"; fi
  for server in $order; do
    go_bench "$round" "$server"
    for client in $CONTENDED_CLIENTS; do contended "$round" "$server" "$client"; done
  done
  echo "vs-upstream: round $round of $ROUNDS done" >&2
done

# --- the table ----------------------------------------------------------------------------------
say "## Every run (locks = cmd/bench pairs; contended-* = hand-offs; latencies per pair / per acquire)"
say ""
say "| round | server | workload | ops/s | p50 ms | p99 ms | server CPU-s per 100k | ops | load |"
say "|---|---|---|---|---|---|---|---|---|"
order_key() { awk -F'\t' '{ print ($3 == "locks" ? 0 : $3 == "contended-raw" ? 1 : 2) "\t" $0 }' "$results" | sort -t$'\t' -k1,1n -k2,2n -k3,3r | cut -f2-; }
order_key | awk -F'\t' '{printf "| %s | %s | %s | %.0f | %.3f | %.3f | %.2f | %d | %s |\n", $1, $2, $3, $4, $5, $6, $7, $8, $9}' | tee -a "$report"
say ""
say "## Summary: medians over $ROUNDS rounds; ratio = ours / upstream (of the medians; per-round ratios in brackets)"
say ""
say "| workload | figure | upstream | ours | ratio | target |"
say "|---|---|---|---|---|---|"
awk -F'\t' '
  function median(list,   n, a, i, j, t) {
    n = split(list, a, " ")
    for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] + 0 > t + 0; j--) a[j + 1] = a[j]; a[j + 1] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  { k = $3; workloads[k] = 1
    v[k, $2, 4] = v[k, $2, 4] " " $4; v[k, $2, 5] = v[k, $2, 5] " " $5
    v[k, $2, 6] = v[k, $2, 6] " " $6; v[k, $2, 7] = v[k, $2, 7] " " $7
    for (f = 4; f <= 7; f++) x[k, $1, $2, f] = $f
    rounds[$1] = 1 }
  function row(k, f, name, fmt, target,   u, o, per, r) {
    u = median(v[k, "upstream", f]); o = median(v[k, "ours", f]); per = ""
    for (r = 1; (r in rounds); r++) if (x[k, r, "upstream", f] > 0) per = per sprintf(" %.2f", x[k, r, "ours", f] / x[k, r, "upstream", f])
    printf "| %s | %s | " fmt " | " fmt " | %.2f [%s ] | %s |\n", k, name, u, o, (u > 0 ? o / u : 0), per, target
  }
  END {
    n = split("locks contended-raw contended-library", order, " ")
    for (i = 1; i <= n; i++) {
      k = order[i]
      if (!(k in workloads)) continue
      t = (k == "locks")
      row(k, 4, (t ? "pairs/s" : "hand-offs/s"), "%.0f", t ? ">= 1.2" : "ours >= 20k/s")
      row(k, 5, "p50 ms", "%.3f", "")
      row(k, 6, "p99 ms", "%.3f", t ? "<= 0.8" : "")
      row(k, 7, "server CPU-s per 100k", "%.2f", t ? "<= 0.7" : "")
    }
  }' "$results" | tee -a "$report"
say ""
say "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
