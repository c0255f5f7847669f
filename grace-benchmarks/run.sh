#!/usr/bin/env bash
# Runs Grace's hot-path benchmarks side by side with Micrometer, OpenTelemetry and Dropwizard (JMH,
# with the record scale curve ScaleRecord), then the end-to-end ingest and heap benchmark
# (EndToEndBenchmark), then the cognition queries and the admin HTTP API under load
# (CognitionBenchmark), then the one-shot scale curves (ScaleBenchmark), printing a table of each;
# then draws every scale curve (Curves: docs/img/scale-*.svg and target/curves.md) and prints
# issue 17's targets with their ratios and verdicts (Verdicts).
#
#   grace-benchmarks/run.sh [--quick] [--jmh | --e2e | --query | --scale | --verdicts] [args...]
#
#   --quick      a smoke run: JMH one fork, seconds per benchmark (~3 min); end to end 5 s per
#                configuration and 20 s of heap (~1 min); queries and HTTP 5 s each after building
#                the 30-day data set (~1.5 min); scale curves ~2 min. Numbers only roughly right
#   --jmh        JMH only; args go to JMH, e.g. a regex ('RecordOneThread') or '-prof stack'
#   --e2e        end to end only; args go to EndToEndBenchmark, e.g. '--threads 4' ('--e2e --help')
#   --query      cognition status/readiness and /api/cognition/status, /metrics under 50 HTTP
#                clients only; args go to CognitionBenchmark, e.g. '--clients 20' ('--query --help')
#   --scale      the one-shot scale curves only (hour turn, flush, heap, status, 30-day query);
#                args go to ScaleBenchmark ('--scale --help')
#   --verdicts   no benchmark: draws the curves and prints the verdicts from the results in target/
#   none         all of them, JMH first (full: JMH ~20 min, end to end ~10 min, queries ~4 min,
#                scale ~5 min), after removing the previous results so that a part that fails shows
#                as "not measured"; any args make it JMH only, as --jmh
#
# Builds target/benchmarks.jar first when it is missing or older than any source or pom it is
# built from. Set GRACE_MVN_FLAGS (e.g. -o) to pass flags to that Maven build.
# Results: grace-benchmarks/target/jmh-result.json, target/e2e-result.json,
# target/cognition-result.json, target/scale-result.json, target/curves.md and target/verdicts.json;
# the store ingest benchmark's target/store-ingest-result.json is read when present. After a single
# part, curves and verdicts read the other parts' files of their last run. The machine's `uptime` is
# printed before and after each part: read the numbers beside it.
set -euo pipefail

module_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_dir="$(dirname "$module_dir")"
jar="$module_dir/target/benchmarks.jar"
result="$module_dir/target/jmh-result.json"

# Full mode: enough forks and iterations for errors of a few percent on a quiet machine.
declare -A run_opts=([-f]=2 [-wi]=3 [-w]=2s [-i]=5 [-r]=2s)
jmh_args=()
quick=()
parts=all
for arg in "$@"; do
  case "$arg" in
    --quick) run_opts=([-f]=1 [-wi]=1 [-w]=1s [-i]=2 [-r]=1s); quick=(--quick) ;;
    --jmh) parts=jmh ;;
    --e2e) parts=e2e ;;
    --query) parts=query ;;
    --scale) parts=scale ;;
    --verdicts) parts=verdicts ;;
    -h|--help) [[ "$parts" == e2e || "$parts" == query || "$parts" == scale ]] && { jmh_args+=("$arg"); continue; }
               sed -n '2,36s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) jmh_args+=("$arg") ;;
  esac
done
if [[ "$parts" == all && ${#jmh_args[@]} -gt 0 ]]; then
  parts=jmh
fi
e2e_args=()
query_args=()
scale_args=()
if [[ "$parts" == e2e ]]; then
  e2e_args=("${jmh_args[@]}")
  jmh_args=()
elif [[ "$parts" == query ]]; then
  query_args=("${jmh_args[@]}")
  jmh_args=()
elif [[ "$parts" == scale ]]; then
  scale_args=("${jmh_args[@]}")
  jmh_args=()
fi
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
  [[ -n "$(find "$repo_dir/pom.xml" "$repo_dir/grace-api" "$repo_dir/grace-runtime" "$repo_dir/grace-testkit" "$module_dir" \
      -path '*/target' -prune -o \
      -type f \( -name '*.java' -o -name 'pom.xml' -o -path '*/src/main/resources/*' \) \
      -newer "$jar" -print -quit)" ]]
}

if stale; then
  echo "Building $jar ..." >&2
  (cd "$repo_dir" && mvn -B -q -Dstyle.color=never ${GRACE_MVN_FLAGS:-} -DskipTests package -pl grace-benchmarks -am)
fi

mkdir -p "$(dirname "$result")"
commit="$(git -C "$repo_dir" rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [[ -n "$(git -C "$repo_dir" status --porcelain 2>/dev/null)" ]]; then
  commit="$commit+uncommitted"
fi
if [[ "$parts" == all ]]; then
  (cd "$module_dir/target" && rm -f jmh-result.json e2e-result.json cognition-result.json scale-result.json \
    store-ingest-result.json verdicts.json curves.md)
fi
load_before="$(uptime)"
if [[ "$parts" == all || "$parts" == jmh ]]; then
  echo "uptime before JMH: $(uptime)"
  java -jar "$jar" "${mode_args[@]}" -prof gc -rf json -rff "$result" "${jmh_args[@]}"
  echo
  java -cp "$jar" dev.grace.benchmarks.ResultTable "$result"
  echo "uptime after JMH: $(uptime)"
fi

if [[ "$parts" == all || "$parts" == e2e ]]; then
  [[ "$parts" == all ]] && echo
  echo "uptime before end to end: $(uptime)"
  java -Xms1g -Xmx1g -XX:+UseG1GC -Dgrace.commit="$commit" -cp "$jar" dev.grace.benchmarks.EndToEndBenchmark \
    "${quick[@]}" --out "$module_dir/target" "${e2e_args[@]}"
  echo "uptime after end to end: $(uptime)"
fi

if [[ "$parts" == all || "$parts" == query ]]; then
  [[ "$parts" == all ]] && echo
  echo "uptime before cognition queries and HTTP: $(uptime)"
  java -Xms1g -Xmx1g -XX:+UseG1GC -Dgrace.commit="$commit" -cp "$jar" dev.grace.benchmarks.CognitionBenchmark \
    "${quick[@]}" --out "$module_dir/target" "${query_args[@]}"
  echo "uptime after cognition queries and HTTP: $(uptime)"
fi

if [[ "$parts" == all || "$parts" == scale ]]; then
  [[ "$parts" == all ]] && echo
  echo "uptime before scale curves: $(uptime)"
  # 3 GB: 100,000 KPIs with full sketches hold ~0.5 GB in the open hour, and as much again while closing it
  java -Xms1g -Xmx3g -XX:+UseG1GC -Dgrace.commit="$commit" -cp "$jar" dev.grace.benchmarks.ScaleBenchmark \
    "${quick[@]}" --out "$module_dir/target" "${scale_args[@]}"
  echo "uptime after scale curves: $(uptime)"
fi

# A part's --help printed its usage above: nothing was measured, nothing to draw or judge.
for arg in "${e2e_args[@]}" "${query_args[@]}" "${scale_args[@]}"; do
  [[ "$arg" == --help || "$arg" == -h ]] && exit 0
done
echo
load_after="$(uptime)"
note="$(date -u '+%Y-%m-%d %H:%M UTC'), commit $commit, ${quick[*]:-full} run; load ${load_before##*load average: } before, ${load_after##*load average: } after"
echo "Scale curves (plots in docs/img, tables in target/curves.md):"
java -cp "$jar" dev.grace.benchmarks.Curves --img "$repo_dir/docs/img" --markdown "$module_dir/target/curves.md" \
  --note "$note" "$module_dir/target"
echo
echo "Issue 17's targets ($note):"
java -cp "$jar" dev.grace.benchmarks.Verdicts "$module_dir/target"
