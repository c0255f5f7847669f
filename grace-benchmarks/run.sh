#!/usr/bin/env bash
# Runs Grace's hot-path benchmarks side by side with Micrometer, OpenTelemetry and Dropwizard,
# then prints one table of the results.
#
#   grace-benchmarks/run.sh [--quick] [JMH args...]
#
#   --quick      a smoke run: one fork, seconds per benchmark; numbers only roughly right
#   JMH args     passed through, e.g. a regex ('RecordOneThread') or '-prof stack'
#
# Builds target/benchmarks.jar first when it is missing or older than any source or pom it is
# built from. Set GRACE_MVN_FLAGS (e.g. -o) to pass flags to that Maven build.
# The JSON result goes to grace-benchmarks/target/jmh-result.json.
set -euo pipefail

module_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_dir="$(dirname "$module_dir")"
jar="$module_dir/target/benchmarks.jar"
result="$module_dir/target/jmh-result.json"

# Full mode: enough forks and iterations for errors of a few percent on a quiet machine.
declare -A run_opts=([-f]=2 [-wi]=3 [-w]=2s [-i]=5 [-r]=2s)
jmh_args=()
for arg in "$@"; do
  case "$arg" in
    --quick) run_opts=([-f]=1 [-wi]=1 [-w]=1s [-i]=2 [-r]=1s) ;;
    -h|--help) sed -n '2,12s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) jmh_args+=("$arg") ;;
  esac
done
# JMH refuses an option given twice: the caller's -f, -wi, -w, -i or -r replaces the mode's.
for arg in "${jmh_args[@]}"; do
  unset "run_opts[$arg]" 2>/dev/null || true
done
mode_args=()
for opt in "${!run_opts[@]}"; do
  mode_args+=("$opt" "${run_opts[$opt]}")
done

stale() {
  [[ ! -f "$jar" ]] && return 0
  # Anything the jar is built from that changed after it was built.
  [[ -n "$(find "$repo_dir/pom.xml" "$repo_dir/grace-api" "$repo_dir/grace-runtime" "$module_dir" \
      -path '*/target' -prune -o \
      -type f \( -name '*.java' -o -name 'pom.xml' -o -path '*/src/main/resources/*' \) \
      -newer "$jar" -print -quit)" ]]
}

if stale; then
  echo "Building $jar ..." >&2
  (cd "$repo_dir" && mvn -B -q -Dstyle.color=never ${GRACE_MVN_FLAGS:-} -DskipTests package -pl grace-benchmarks -am)
fi

mkdir -p "$(dirname "$result")"
java -jar "$jar" "${mode_args[@]}" -prof gc -rf json -rff "$result" "${jmh_args[@]}"

echo
java -cp "$jar" dev.grace.benchmarks.ResultTable "$result"
