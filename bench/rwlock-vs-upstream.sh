#!/usr/bin/env bash
# Read-write locks side by side with upstream redis-feats (issue 17): our load tool's `rwlock`
# (W workers on one read-write key, each round rl+rr with probability F, else wl+wr) against the
# upstream redis-feats server and against ours, the same client and parameters, in one run.
# Both servers are started once and left running; the servers alternate ALTERNATIONS times
# (upstream first in odd alternations, ours first in even ones), and within an alternation each
# server gets every read fraction with every client. Server CPU comes from the load tool's
# --server-pid (utime+stime of the server during the timed phase), per 100k pairs.
#
# Usage: bench/rwlock-vs-upstream.sh      (environment variables below; all optional)
#   UPSTREAM_SERVER   upstream's redis-feats binary (default ${TMPDIR:-/tmp}/dflockd-upstream/dflockd-rf)
#   OURS_JAR          our server jar (default server/target/dflockd-server.jar)
#   BENCH_JAR         the load tool (default bench/target/dflockd-bench.jar); build both with
#                     mvn -B -o -q -pl protocol,client,server,bench package -DskipTests
#   ALTERNATIONS=3    how many times each server has its turn (at least 3)
#   WORKERS=50 ROUNDS=200 FRACTIONS="0.8 0.5" SEED=1   `rwlock -w -r -f --seed`
#   CLIENTS="raw library"   which clients drive the load
#   WARMUP=1          before alternation 1, one untimed run per server and client (F = the first
#                     fraction) so that our server's JIT is not cold in alternation 1; 0 skips it
#   UPSTREAM_PORT=27398 OURS_PORT=27399
#   UPSTREAM_FLAGS, OURS_FLAGS, OURS_JAVA_OPTS, BENCH_JAVA_OPTS   extra server flags / JVM options
#   OUT               directory for every raw output (default /tmp/dflockd-rwlock-vs-upstream.<UTC time>)
# Needs: bash, awk, jq, Java 17. Prints the machine, every run and a summary; the same text is in
# $OUT/report.txt.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

UPSTREAM_SERVER="${UPSTREAM_SERVER:-${TMPDIR:-/tmp}/dflockd-upstream/dflockd-rf}"
OURS_JAR="${OURS_JAR:-$root/server/target/dflockd-server.jar}"
BENCH_JAR="${BENCH_JAR:-$root/bench/target/dflockd-bench.jar}"
ALTERNATIONS="${ALTERNATIONS:-3}"
WORKERS="${WORKERS:-50}" ROUNDS="${ROUNDS:-200}" FRACTIONS="${FRACTIONS:-0.8 0.5}" SEED="${SEED:-1}"
CLIENTS="${CLIENTS:-raw library}"
WARMUP="${WARMUP:-1}"
UPSTREAM_PORT="${UPSTREAM_PORT:-27398}" OURS_PORT="${OURS_PORT:-27399}"
OUT="${OUT:-/tmp/dflockd-rwlock-vs-upstream.$(date -u +%Y%m%dT%H%M%SZ)}"

die() { echo "rwlock-vs-upstream: $*" >&2; exit 1; }
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

say "# rwlock: dflockd vs upstream redis-feats, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
describe_servers "$(cat "$(dirname "$UPSTREAM_SERVER")/.dflockd-rf.commit" 2>/dev/null || echo '?')"
say "rwlock: -w $WORKERS -r $ROUNDS --seed $SEED, read fractions: $FRACTIONS, clients: $CLIENTS; alternations: $ALTERNATIONS; warm-up: $([ "$WARMUP" = 1 ] && echo "1 untimed run per server and client" || echo none)"
say "raw outputs: $OUT"
say ""


# alternation server fraction client pairs/s read_p50 read_p99 write_p50 write_p99 (ms) cpu_s_per_100k load
results="$OUT/results.tsv"
: >"$results"

# rwlock ALTERNATION SERVER FRACTION CLIENT
rwlock() {
  local alt=$1 server=$2 fraction=$3 client=$4 log load raw=
  log="$OUT/a$alt-$server-f$fraction-$client.json"; load=$(cut -d' ' -f1 /proc/loadavg)
  [ "$client" = raw ] && raw=--raw
  # shellcheck disable=SC2086
  java ${BENCH_JAVA_OPTS:-} -jar "$BENCH_JAR" rwlock --port "$(port_of "$server")" -w "$WORKERS" -r "$ROUNDS" \
    -f "$fraction" --seed "$SEED" --server-pid "$(pid_of "$server")" --json $raw >"$log" 2>"$log.err" \
    || die "rwlock failed against $server: $(tail -3 "$log.err")"
  [ "$alt" = warmup ] && return 0
  jq -r --arg a "$alt" --arg s "$server" --arg f "$fraction" --arg c "$client" --arg load "$load" '
    if .errors != 0 then error("errors: \(.first_error)") else . end
    | .latency_us as $l
    | [$a, $s, $f, $c, (.per_second | round), ($l.acquire_read.p50 / 1000), ($l.acquire_read.p99 / 1000),
       ($l.acquire_write.p50 / 1000), ($l.acquire_write.p99 / 1000),
       (.server_cpu_s_per_100k * 1000 | round / 1000), $load] | @tsv' "$log" >>"$results"
}

first_fraction=${FRACTIONS%% *}
if [ "$WARMUP" = 1 ]; then
  for server in upstream ours; do
    for client in $CLIENTS; do rwlock warmup "$server" "$first_fraction" "$client"; done
  done
  echo "rwlock-vs-upstream: warm-up done" >&2
fi
for alt in $(seq 1 "$ALTERNATIONS"); do
  if [ $((alt % 2)) = 1 ]; then order="upstream ours"; else order="ours upstream"; fi
  for server in $order; do
    for fraction in $FRACTIONS; do
      for client in $CLIENTS; do rwlock "$alt" "$server" "$fraction" "$client"; done
    done
  done
  echo "rwlock-vs-upstream: alternation $alt of $ALTERNATIONS done" >&2
done
cleanup

# --- the tables ---------------------------------------------------------------------------------
say "## Every run (latencies are per acquire, ms)"
say ""
say "| alt | server | F | client | pairs/s | read p50 | read p99 | write p50 | write p99 | server CPU-s per 100k | load |"
say "|---|---|---|---|---|---|---|---|---|---|---|"
sort -t$'\t' -k3,3r -k4,4r -k1,1n -k2,2r "$results" \
  | awk -F'\t' '{printf "| %s | %s | %s | %s | %d | %.2f | %.2f | %.2f | %.2f | %.2f | %s |\n", $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11}' \
  | tee -a "$report"
say ""
say "## Summary: median [min-max] over $ALTERNATIONS alternations; ratio = ours / upstream of the medians"
say ""
say "| F | client | figure | upstream | ours | ratio |"
say "|---|---|---|---|---|---|"
awk -F'\t' -v fractions="$FRACTIONS" -v clients="$CLIENTS" '
  function sorted(list, a,   n, i, j, t) {
    n = split(list, a, " ")
    for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] + 0 > t + 0; j--) a[j + 1] = a[j]; a[j + 1] = t }
    return n
  }
  function median(list,   a, n) { n = sorted(list, a); return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
  function range(list, fmt,   a, n) { n = sorted(list, a); return sprintf("[" fmt "-" fmt "]", a[1], a[n]) }
  { for (f = 5; f <= 10; f++) v[$3, $4, $2, f] = v[$3, $4, $2, f] " " $f }
  function row(fr, c, f, name, fmt,   u, o, lu, lo) {
    lu = v[fr, c, "upstream", f]; lo = v[fr, c, "ours", f]
    if (lu == "" || lo == "") return
    u = median(lu); o = median(lo)
    printf "| %s | %s | %s | " fmt " %s | " fmt " %s | %.2f |\n", fr, c, name, u, range(lu, fmt), o, range(lo, fmt), (u > 0 ? o / u : 0)
  }
  END {
    nf = split(fractions, fs, " "); nc = split(clients, cs, " ")
    for (i = 1; i <= nf; i++) for (k = 1; k <= nc; k++) {
      row(fs[i], cs[k], 5, "pairs/s", "%.0f")
      row(fs[i], cs[k], 6, "read p50 ms", "%.2f"); row(fs[i], cs[k], 7, "read p99 ms", "%.2f")
      row(fs[i], cs[k], 8, "write p50 ms", "%.2f"); row(fs[i], cs[k], 9, "write p99 ms", "%.2f")
      row(fs[i], cs[k], 10, "server CPU-s per 100k", "%.2f")
    }
  }' "$results" | tee -a "$report"
say ""
say "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
