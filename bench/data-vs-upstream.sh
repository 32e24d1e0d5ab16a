#!/usr/bin/env bash
# Counters, KV entries and lists side by side with upstream redis-feats: our load tool's `data`
# workload (--op incr: every round one incr of ONE shared counter; --op kv: kset+kget of each
# worker's own entry; --op queue: half the workers rpush onto ONE shared list, half blpop from it)
# against the upstream redis-feats server and against ours, the same raw client and parameters, in
# one run. Both servers are started once and left running; the servers alternate ALTERNATIONS times
# (upstream first in odd alternations, ours first in even ones), and within an alternation each
# server gets every op. Every run checks its outcome (counter growth, values read back, every item
# popped once); a run with errors stops the script. Server CPU comes from the load tool's
# --server-pid (utime+stime of the server during the timed phase), per 100k of the op's unit.
# Only the raw client: the Java client library is not measured by `data`.
#
# Usage: bench/data-vs-upstream.sh      (environment variables below; all optional)
#   UPSTREAM_SERVER   upstream's redis-feats binary (default ${TMPDIR:-/tmp}/dflockd-upstream/dflockd-rf)
#   OURS_JAR          our server jar (default server/target/dflockd-server.jar)
#   BENCH_JAR         the load tool (default bench/target/dflockd-bench.jar); build both with
#                     mvn -B -o -q -pl protocol,client,server,bench package -DskipTests
#   ALTERNATIONS=3    how many times each server has its turn (at least 3)
#   OPS="incr kv queue"   which ops, in this order within a server's turn
#   WORKERS=10 ROUNDS=2000 CONNECTIONS=1 POP_TIMEOUT=10   `data -w -r -c --pop-timeout` (WORKERS even)
#   SERVERS="upstream ours"   which servers get turns (both are started either way)
#   WARMUP=1          before alternation 1, one untimed run per server and op so that our server's
#                     JIT is not cold in alternation 1; 0 skips it
#   UPSTREAM_PORT=27498 OURS_PORT=27499
#   UPSTREAM_FLAGS, OURS_FLAGS, OURS_JAVA_OPTS, BENCH_JAVA_OPTS   extra server flags / JVM options
#   OUT               directory for every raw output (default /tmp/dflockd-data-vs-upstream.<UTC time>)
# Needs: bash, awk, jq, Java 17. Prints the machine, every run and a summary; the same text is in
# $OUT/report.txt.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

UPSTREAM_SERVER="${UPSTREAM_SERVER:-${TMPDIR:-/tmp}/dflockd-upstream/dflockd-rf}"
OURS_JAR="${OURS_JAR:-$root/server/target/dflockd-server.jar}"
BENCH_JAR="${BENCH_JAR:-$root/bench/target/dflockd-bench.jar}"
ALTERNATIONS="${ALTERNATIONS:-3}"
OPS="${OPS:-incr kv queue}"
WORKERS="${WORKERS:-10}" ROUNDS="${ROUNDS:-2000}" CONNECTIONS="${CONNECTIONS:-1}" POP_TIMEOUT="${POP_TIMEOUT:-10}"
SERVERS="${SERVERS:-upstream ours}"
WARMUP="${WARMUP:-1}"
UPSTREAM_PORT="${UPSTREAM_PORT:-27498}" OURS_PORT="${OURS_PORT:-27499}"
OUT="${OUT:-/tmp/dflockd-data-vs-upstream.$(date -u +%Y%m%dT%H%M%SZ)}"

die() { echo "data-vs-upstream: $*" >&2; exit 1; }
[ -x "$UPSTREAM_SERVER" ] || die "no upstream redis-feats server at $UPSTREAM_SERVER (set UPSTREAM_SERVER)"
for j in "$OURS_JAR" "$BENCH_JAR"; do
  [ -f "$j" ] || die "no $j: mvn -B -o -q -pl protocol,client,server,bench package -DskipTests"
done
[ "$ALTERNATIONS" -ge 3 ] || die "ALTERNATIONS must be at least 3"
command -v jq >/dev/null || die "jq is needed to read the load tool's --json output"
mkdir -p "$OUT"
report="$OUT/report.txt"
say() { echo "$*" | tee -a "$report"; }

# --- the two servers, started once -------------------------------------------------------------
. "$root/bench/lib/two-servers.sh"

say "# data commands: dflockd vs upstream redis-feats, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
describe_servers "$(cat "$(dirname "$UPSTREAM_SERVER")/.dflockd-rf.commit" 2>/dev/null || echo '?')"
say "data --raw: -w $WORKERS -r $ROUNDS -c $CONNECTIONS --pop-timeout $POP_TIMEOUT, ops: $OPS, servers: $SERVERS; alternations: $ALTERNATIONS; warm-up: $([ "$WARMUP" = 1 ] && echo "1 untimed run per server and op" || echo none)"
say "raw outputs: $OUT"
say ""

# runs.tsv:    alternation server op rate unit latencies(text) cpu_s_per_100k load   (one line per run)
# figures.tsv: alternation server op figure value                                    (one line per figure)
runs="$OUT/runs.tsv" figures="$OUT/figures.tsv"
: >"$runs"; : >"$figures"

# data ALTERNATION SERVER OP
data() {
  local alt=$1 server=$2 op=$3 log load
  log="$OUT/a$alt-$server-$op.json"; load=$(cut -d' ' -f1 /proc/loadavg)
  # shellcheck disable=SC2086
  java ${BENCH_JAVA_OPTS:-} -jar "$BENCH_JAR" data --op "$op" --raw --port "$(port_of "$server")" -w "$WORKERS" \
    -r "$ROUNDS" -c "$CONNECTIONS" --pop-timeout "$POP_TIMEOUT" --key "bench-data-$op" \
    --server-pid "$(pid_of "$server")" --json >"$log" 2>"$log.err" \
    || die "data --op $op failed against $server: $(tail -3 "$log.err")"
  jq -e '.errors == 0' "$log" >/dev/null || die "data --op $op against $server: $(jq -r '"\(.errors) errors, first: \(.first_error)"' "$log")"
  [ "$alt" = warmup ] && return 0
  jq -r --arg a "$alt" --arg s "$server" --arg o "$op" --arg load "$load" '
    def ms: (. / 10 | round) as $c | "\($c / 100 | floor).\($c % 100 | tostring | if length < 2 then "0" + . else . end)";
    [$a, $s, $o, (.per_second | round), .unit,
     ([.latency_us | to_entries[] | "\(.key) \(.value.p50 | ms)/\(.value.p99 | ms)"] | join(", ")),
     (.server_cpu_s_per_100k * 1000 | round / 1000), $load] | @tsv' "$log" >>"$runs"
  jq -r --arg a "$alt" --arg s "$server" --arg o "$op" '
    ([[.unit + "/s", .per_second]]
     + [.latency_us | to_entries[] | [.key + " p50 ms", .value.p50 / 1000], [.key + " p99 ms", .value.p99 / 1000]]
     + [["server CPU-s per 100k " + .unit, .server_cpu_s_per_100k]])
    | .[] | [$a, $s, $o, .[0], .[1]] | @tsv' "$log" >>"$figures"
}

if [ "$WARMUP" = 1 ]; then
  for server in $SERVERS; do
    for op in $OPS; do data warmup "$server" "$op"; done
  done
  echo "data-vs-upstream: warm-up done" >&2
fi
for alt in $(seq 1 "$ALTERNATIONS"); do
  order=$SERVERS
  [ $((alt % 2)) = 0 ] && order=$(echo "$SERVERS" | awk '{for (i = NF; i >= 1; i--) printf "%s%s", $i, (i > 1 ? " " : "")}')
  for server in $order; do
    for op in $OPS; do data "$alt" "$server" "$op"; done
  done
  echo "data-vs-upstream: alternation $alt of $ALTERNATIONS done" >&2
done
cleanup

# --- the tables ---------------------------------------------------------------------------------
say "## Every run (latencies: p50/p99 per request, ms)"
say ""
say "| alt | server | op | rate | latencies p50/p99 ms | server CPU-s per 100k | load |"
say "|---|---|---|---|---|---|---|"
sort -t$'\t' -k3,3 -k1,1n -k2,2r "$runs" \
  | awk -F'\t' '{printf "| %s | %s | %s | %d %s/s | %s | %.2f | %s |\n", $1, $2, $3, $4, $5, $6, $7, $8}' \
  | tee -a "$report"
say ""
say "## Summary: median [min-max] over $ALTERNATIONS alternations; ratio = ours / upstream of the medians"
say ""
say "| op | figure | upstream | ours | ratio |"
say "|---|---|---|---|---|"
awk -F'\t' '
  function sorted(list, a,   n, i, j, t) {
    n = split(list, a, " ")
    for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] + 0 > t + 0; j--) a[j + 1] = a[j]; a[j + 1] = t }
    return n
  }
  function median(list,   a, n) { n = sorted(list, a); return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
  function range(list, fmt,   a, n) { n = sorted(list, a); return sprintf("[" fmt "-" fmt "]", a[1], a[n]) }
  function cell(list, fmt) { return list == "" ? "-" : sprintf(fmt " %s", median(list), range(list, fmt)) }
  {
    k = $3 SUBSEP $4
    if (!(k in seen)) { seen[k] = 1; order[++n] = k }
    v[k, $2] = v[k, $2] " " $5
  }
  END {
    for (i = 1; i <= n; i++) {
      split(order[i], kf, SUBSEP); fmt = kf[2] ~ /\/s$/ ? "%.0f" : "%.2f"
      lu = v[order[i], "upstream"]; lo = v[order[i], "ours"]
      ratio = (lu == "" || lo == "" || median(lu) == 0) ? "-" : sprintf("%.2f", median(lo) / median(lu))
      printf "| %s | %s | %s | %s | %s |\n", kf[1], kf[2], cell(lu, fmt), cell(lo, fmt), ratio
    }
  }' "$figures" | tee -a "$report"
say ""
say "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
