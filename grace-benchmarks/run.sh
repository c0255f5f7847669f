#!/usr/bin/env bash
# Runs Grace's hot-path benchmarks side by side with Micrometer, OpenTelemetry and Dropwizard (JMH,
# with the record scale curve ScaleRecord), then the end-to-end ingest and heap benchmark
# (EndToEndBenchmark), then the cognition queries and the admin HTTP API under load
# (CognitionBenchmark), then the one-shot scale curves (ScaleBenchmark), then raw-event ingest into
# H2 and PostgreSQL beside a bare batch insert and a bare COPY (StoreBenchmark), printing a table of
# each; then draws every scale curve (Curves: docs/img/scale-*.svg and target/curves.md) and prints
# issue 17's targets with their ratios and verdicts (Verdicts).
#
#   grace-benchmarks/run.sh [--quick] [--jmh | --e2e | --query | --scale | --store | --verdicts] [args...]
#
#   --quick      a smoke run: JMH only the benchmarks issue 17's targets are judged from, one fork,
#                10 x 0.25 s each, and ScaleRecord 3 x 0.3 s; end to end 3 s per configuration and
#                12 s of heap; queries and HTTP 2 s each on 3 days of data; scale curves at every
#                size with 1 s timings, medians of 3 timed turns and flushes (1 at 100,000 KPIs);
#                store 150000 events x 3 rounds. 6.3-7.6 min in all on 2 cores (2026-12-04, load
#                1.3-3.3: JMH 2.0, end to end 0.6, queries 0.5, scale 2.4, store 0.5; 6.9 min at
#                21:03; 2026-12-03, load 1.5-3: 7.6 min, scale 3.25).
#                Numbers only roughly right
#   --jmh        JMH only; args go to JMH, e.g. a regex ('RecordOneThread') or '-prof stack'
#   --e2e        end to end only; args go to EndToEndBenchmark, e.g. '--threads 4' ('--e2e --help')
#   --query      cognition status/readiness and /api/cognition/status, /metrics under 50 HTTP
#                clients only; args go to CognitionBenchmark, e.g. '--clients 20' ('--query --help')
#   --scale      the one-shot scale curves only (hour turn, flush, heap, status, 30-day query);
#                args go to ScaleBenchmark ('--scale --help')
#   --store      raw events through Grace into H2 and PostgreSQL beside the bare limits only; args
#                go to StoreBenchmark: events per round and rounds (default 500000 5, quick 150000 3),
#                '--postgres JDBC_URL' (or GRACE_BENCH_POSTGRES_URL) for a server of your own; without
#                one, .ci/postgres starts a throw-away server for the run (replacing one it started
#                before) and stops it after
#   --verdicts   no benchmark: draws the curves and prints the verdicts from the results in target/
#   none         all of them, JMH first (full: JMH ~25 min, end to end ~10 min, queries ~4 min,
#                scale ~5 min, store ~7 min), after removing the previous results so that a part that
#                fails shows as "not measured"; any args make it JMH only, as --jmh
#
# Builds target/benchmarks.jar first when it is missing or older than any source or pom it is
# built from. Set GRACE_MVN_FLAGS (e.g. -o) to pass flags to that Maven build.
# Results: grace-benchmarks/target/jmh-result.json, target/e2e-result.json,
# target/cognition-result.json, target/scale-result.json, target/curves.md and target/verdicts.json;
# target/store-ingest-result.json (StoreBenchmark, read by the verdicts). After a single
# part, curves and verdicts read the other parts' files of their last run. The machine's `uptime` is
# printed before and after each part: read the numbers beside it.
set -euo pipefail

module_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_dir="$(dirname "$module_dir")"
jar="$module_dir/target/benchmarks.jar"
result="$module_dir/target/jmh-result.json"

scale_result="$module_dir/target/jmh-scale-result.json"

# JMH's error bar is the 99.9% confidence half-width over every measured iteration of every fork,
# t(n-1) x s / sqrt(n): with 3 iterations it is 18 x their spread, so it can only say that there
# were few. Many short iterations and several forks (JIT decisions differ between forks) make it
# say something about the score: full mode 3 forks x 8 iterations (n = 24, 0.77 x the spread),
# quick 1 fork x 10 (n = 10, 1.5 x the spread).
declare -A run_opts=([-f]=3 [-wi]=3 [-w]=1s [-i]=8 [-r]=1s)
# ScaleRecord is a curve of 12 points, not a target with an error bar: one fork each.
declare -A scale_opts=([-f]=1 [-wi]=2 [-w]=2s [-i]=3 [-r]=2s)
# Without a regex: every record benchmark (full), or only those issue 17's targets are judged from
# (quick), then ScaleRecord on its own into jmh-scale-result.json.
record_select=('Record(One|Two)Threads?\.' 'BridgeBenchmark\.')
jmh_args=()
quick=()
# Other parts' options in quick mode: shorter timed windows and a smaller cognition data set, so that
# the whole quick run takes a few minutes (run.sh --help); their own --quick alone keeps its defaults.
e2e_quick=()
query_quick=()
parts=all
for arg in "$@"; do
  case "$arg" in
    --quick) run_opts=([-f]=1 [-wi]=2 [-w]=500ms [-i]=10 [-r]=250ms)
             scale_opts=([-f]=1 [-wi]=1 [-w]=500ms [-i]=3 [-r]=300ms)
             record_select=('Record(One|Two)Threads?\.(graceRecord|graceRecordRawEvents|graceRecordRawEventsRingFull|otelExponentialHistogram|micrometerSummary|dropwizardHistogram)$')
             e2e_quick=(--seconds 3 --heap-seconds 12 --heap-every 3)
             query_quick=(--days 3 --seconds 2 --warmup-seconds 1)
             quick=(--quick) ;;
    --jmh) parts=jmh ;;
    --e2e) parts=e2e ;;
    --query) parts=query ;;
    --scale) parts=scale ;;
    --store) parts=store ;;
    --verdicts) parts=verdicts ;;
    -h|--help) [[ "$parts" == e2e || "$parts" == query || "$parts" == scale || "$parts" == store ]] && { jmh_args+=("$arg"); continue; }
               sed -n '2,43s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) jmh_args+=("$arg") ;;
  esac
done
if [[ "$parts" == all && ${#jmh_args[@]} -gt 0 ]]; then
  parts=jmh
fi
e2e_args=()
query_args=()
scale_args=()
store_args=()
if [[ "$parts" == e2e ]]; then
  e2e_args=("${jmh_args[@]}")
  jmh_args=()
elif [[ "$parts" == query ]]; then
  query_args=("${jmh_args[@]}")
  jmh_args=()
elif [[ "$parts" == scale ]]; then
  scale_args=("${jmh_args[@]}")
  jmh_args=()
elif [[ "$parts" == store ]]; then
  store_args=("${jmh_args[@]}")
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
scale_mode_args=()
for opt in "${!scale_opts[@]}"; do
  scale_mode_args+=("$opt" "${scale_opts[$opt]}")
done

stale() {
  [[ ! -f "$jar" ]] && return 0
  # Anything the jar is built from that changed after it was built.
  [[ -n "$(find "$repo_dir/pom.xml" "$repo_dir/grace-api" "$repo_dir/grace-runtime" "$repo_dir/grace-testkit" "$repo_dir/grace-store" "$module_dir" \
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
  (cd "$module_dir/target" && rm -f jmh-result.json jmh-scale-result.json e2e-result.json cognition-result.json scale-result.json \
    store-ingest-result.json verdicts.json curves.md)
fi
load_before="$(uptime)"
if [[ "$parts" == all || "$parts" == jmh ]]; then
  echo "uptime before JMH: $(uptime)"
  if [[ ${#jmh_args[@]} -gt 0 ]]; then
    java -jar "$jar" "${mode_args[@]}" -prof gc -rf json -rff "$result" "${jmh_args[@]}"
    echo
    java -cp "$jar" dev.grace.benchmarks.ResultTable "$result"
  else
    java -jar "$jar" "${mode_args[@]}" -prof gc -rf json -rff "$result" "${record_select[@]}"
    echo "uptime after the record benchmarks: $(uptime)"
    java -jar "$jar" "${scale_mode_args[@]}" -prof gc -rf json -rff "$scale_result" 'ScaleRecord\.'
    echo
    java -cp "$jar" dev.grace.benchmarks.ResultTable "$result" "$scale_result"
  fi
  echo "uptime after JMH: $(uptime)"
fi

if [[ "$parts" == all || "$parts" == e2e ]]; then
  [[ "$parts" == all ]] && echo
  echo "uptime before end to end: $(uptime)"
  java -Xms1g -Xmx1g -XX:+UseG1GC -Dgrace.commit="$commit" -cp "$jar" dev.grace.benchmarks.EndToEndBenchmark \
    "${quick[@]}" "${e2e_quick[@]}" --out "$module_dir/target" "${e2e_args[@]}"
  echo "uptime after end to end: $(uptime)"
fi

if [[ "$parts" == all || "$parts" == query ]]; then
  [[ "$parts" == all ]] && echo
  echo "uptime before cognition queries and HTTP: $(uptime)"
  java -Xms1g -Xmx1g -XX:+UseG1GC -Dgrace.commit="$commit" -cp "$jar" dev.grace.benchmarks.CognitionBenchmark \
    "${quick[@]}" "${query_quick[@]}" --out "$module_dir/target" "${query_args[@]}"
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

if [[ "$parts" == all || "$parts" == store ]]; then
  [[ "$parts" == all ]] && echo
  pg_url="${GRACE_BENCH_POSTGRES_URL:-}"
  for arg in "${store_args[@]}"; do
    [[ "$arg" == --postgres || "$arg" == --help || "$arg" == -h ]] && pg_url=given # a server given, or none needed
  done
  if [[ -z "$pg_url" ]]; then
    echo "Starting a throw-away PostgreSQL (.ci/postgres start) ..." >&2
    pg_url="$("$repo_dir/.ci/postgres" start)"
    trap '"$repo_dir/.ci/postgres" stop' EXIT
  fi
  [[ "$pg_url" != given ]] && store_args=(--postgres "$pg_url" "${store_args[@]}")
  echo "uptime before store: $(uptime)"
  java -Xms1g -Xmx1g -XX:+UseG1GC -Dgrace.commit="$commit" -cp "$jar" dev.grace.benchmarks.StoreBenchmark \
    "${quick[@]}" --out "$module_dir/target" "${store_args[@]}"
  echo "uptime after store: $(uptime)"
fi

# A part's --help printed its usage above: nothing was measured, nothing to draw or judge.
for arg in "${e2e_args[@]}" "${query_args[@]}" "${scale_args[@]}" "${store_args[@]}"; do
  [[ "$arg" == --help || "$arg" == -h ]] && exit 0
done
echo
load_after="$(uptime)"
note="$(date -u '+%Y-%m-%d %H:%M UTC'), commit $commit, ${quick[*]:-full} run; load ${load_before##*load average: } before, ${load_after##*load average: } after"
echo "Scale curves (plots in docs/img, tables in target/curves.md):"
java -cp "$jar" dev.grace.benchmarks.Curves --img "$repo_dir/docs/img" --markdown "$module_dir/target/curves.md" --links img/ \
  --note "$note" "$module_dir/target"
echo
echo "Issue 17's targets ($note):"
java -cp "$jar" dev.grace.benchmarks.Verdicts "$module_dir/target"
