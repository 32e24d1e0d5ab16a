# Sourced by the side-by-side scripts (bench/vs-upstream.sh, bench/rwlock-vs-upstream.sh): starts
# the upstream server and ours once, each on its own port on 127.0.0.1, waits until both listen,
# and stops them when the script exits (or when it calls cleanup).
#
# Before sourcing, the script defines die() and sets UPSTREAM_SERVER, UPSTREAM_PORT, OURS_JAR,
# OURS_PORT and OUT (where upstream-server.log and ours-server.log go); UPSTREAM_FLAGS, OURS_FLAGS
# and OURS_JAVA_OPTS are optional. Afterwards upstream_pid and ours_pid are set and pid_of SERVER /
# port_of SERVER (SERVER = upstream or ours) name them.
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; pids=(); wait 2>/dev/null || true; }
trap cleanup EXIT

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
wait_port() { # wait_port PORT PID
  for _ in $(seq 1 300); do
    port_open "$1" && return 0
    kill -0 "$2" 2>/dev/null || die "server on port $1 exited; see $OUT/*.log"
    sleep 0.1
  done
  die "nothing listens on port $1 after 30 s"
}
for p in "$UPSTREAM_PORT" "$OURS_PORT"; do port_open "$p" && die "port $p is already in use"; done

# shellcheck disable=SC2086
"$UPSTREAM_SERVER" --host 127.0.0.1 --port "$UPSTREAM_PORT" ${UPSTREAM_FLAGS:-} >"$OUT/upstream-server.log" 2>&1 &
upstream_pid=$!; pids+=("$upstream_pid")
# shellcheck disable=SC2086
java ${OURS_JAVA_OPTS:-} -jar "$OURS_JAR" --host 127.0.0.1 --port "$OURS_PORT" ${OURS_FLAGS:-} >"$OUT/ours-server.log" 2>&1 &
ours_pid=$!; pids+=("$ours_pid")
wait_port "$UPSTREAM_PORT" "$upstream_pid"
wait_port "$OURS_PORT" "$ours_pid"

pid_of() { [ "$1" = upstream ] && echo "$upstream_pid" || echo "$ours_pid"; }
port_of() { [ "$1" = upstream ] && echo "$UPSTREAM_PORT" || echo "$OURS_PORT"; }

# describe_servers UPSTREAM_VERSION: the machine and the two servers, through the script's say()
# (root is the repository).
describe_servers() {
  say "machine: nproc=$(nproc); $(lscpu | awk -F: '/^Model name|^CPU\(s\)|^Thread|^Core|^Socket/ {gsub(/^ +/, "", $2); printf "%s=%s; ", $1, $2}')"
  say "kernel: $(uname -r); java: $(java -version 2>&1 | head -1); load average: $(cut -d' ' -f1-3 /proc/loadavg)"
  say "upstream: $UPSTREAM_SERVER ($1), pid $upstream_pid, port $UPSTREAM_PORT, flags: ${UPSTREAM_FLAGS:-(defaults)}"
  say "ours: $OURS_JAR (git $(cd "$root" && git rev-parse --short HEAD)$(cd "$root" && git diff --quiet HEAD -- protocol server || echo '+uncommitted')), pid $ours_pid, port $OURS_PORT, flags: ${OURS_FLAGS:-(defaults)}, JVM options: ${OURS_JAVA_OPTS:-(none)}"
}
