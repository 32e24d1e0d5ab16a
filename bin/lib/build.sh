# Sourced by the bin/ launchers, after they set $root:
#   launcher_build NAME "MODULE..." JAR...
# builds the modules (with whatever they depend on) unless every JAR exists and is newer than the
# root pom and the modules' files. Launchers build into <module>/target-launch with the tests
# skipped: never into target/, where `mvn verify` writes, so both can run at once; and without
# the tests, bin/dflockctl needs no server (see the server-for-tests profile in cli/pom.xml).
launch_dir=target-launch

launcher_jar() { # launcher_jar MODULE FILE: where the launchers' build leaves FILE
  echo "$root/$1/$launch_dir/$2"
}

launcher_stale() { # launcher_stale "MODULE..." JAR...
  local modules=$1 jar m dirs=("$root/pom.xml")
  shift
  for m in $modules; do dirs+=("$root/$m"); done
  for jar in "$@"; do
    [ -f "$jar" ] || return 0
    [ -z "$(find "${dirs[@]}" \( -name target -o -name "$launch_dir" \) -prune \
        -o -type f -newer "$jar" -print -quit)" ] || return 0
  done
  return 1
}

# Prints one line per module built and one per 10 MB downloaded, instead of Maven's output.
launcher_progress() {
  awk -v name="$1" '
    /^\[INFO\] Building .* \[[0-9]+\/[0-9]+\]$/ {
      module = $3; for (i = 4; i < NF - 1; i++) module = module " " $i
      print name ": " $NF " " module; fflush()
    }
    /^(\[INFO\] )?Downloaded from / {
      n = split($0, part, "("); split(part[n], size, " ")
      mb += size[1] / (size[2] == "MB" ? 1 : size[2] == "kB" ? 1000 : 1000000)
      if (mb >= shown + 10) { shown = int(mb / 10) * 10; print name ": downloaded " shown " MB"; fflush() }
    }' >&2
}

launcher_build() {
  launcher_stale "$2" "${@:3}" || return 0
  mkdir -p "$root/$launch_dir"
  # One launcher build at a time (two launchers started together share protocol/target-launch);
  # the lock is held by a subshell, so the program the launcher then runs does not inherit it.
  ( if command -v flock >/dev/null; then flock 9; fi
    launcher_build_locked "$@" ) 9>"$root/$launch_dir/build.lock" || exit 1
}

launcher_build_locked() {
  local name=$1 modules=$2 jar first=
  shift 2
  launcher_stale "$modules" "$@" || return 0 # built meanwhile by a launcher we waited for
  for jar in "$@"; do [ -f "$jar" ] || first=1; done
  local log="$root/$launch_dir/$name-build.log" start=$SECONDS
  if [ -n "$first" ]; then
    echo "$name: building (first run; log: $log). Maven's first build on a machine downloads" \
      "about 60 MB of plugins and libraries: 30-40 s on a fast connection, minutes on a slow one." >&2
  else
    echo "$name: sources changed, rebuilding; log: $log" >&2
  fi
  if ! (cd "$root" && mvn -B -Ddflockd.build.dir="$launch_dir" -Dmaven.test.skip=true \
      -pl "${modules// /,}" -am package) 2>&1 | tee "$log" | launcher_progress "$name"; then
    grep -E '^\[ERROR\]' "$log" >&2 || tail -n 30 "$log" >&2
    echo "$name: build failed; full log: $log" >&2
    return 1
  fi
  echo "$name: built in $((SECONDS - start)) s" >&2
}
